/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.supervisor.process;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A replica process that was started but whose start failed afterwards (say, the JDK
 * could not create the thread that watches a new child), so the supervisor never got hold
 * of it as a {@link Process}. It was found by its spawn token and is stopped through the
 * {@link StopLadder} like any replica. Its exit is no event the supervisor receives, so
 * it is watched in {@code /proc}, where a zombie counts as gone.
 *
 * @author the supervisor authors
 */
final class StrayProcess implements StopTarget {

	private final ProcessHandle handle;

	private final ReplicaContext context;

	private final Path stat;

	private final @Nullable SignalTarget group;

	/**
	 * Create the target.
	 * @param handle the process
	 * @param context the replica it was started for
	 * @param stat its {@code /proc/<pid>/stat}, read afresh every time: a shared snapshot
	 * taken before the process started would not know it
	 */
	StrayProcess(ProcessHandle handle, ReplicaContext context, Path stat) {
		this.handle = handle;
		this.context = context;
		this.stat = stat;
		// Its own group, unless it is caught before setsid made it one
		ProcessTable.Stat now = ProcessTable.stat(stat);
		this.group = (now != null && now.pgid() == handle.pid()) ? SignalTarget.group(now.pgid()) : null;
	}

	@Override
	public long pid() {
		return this.handle.pid();
	}

	@Override
	public String worker() {
		return this.context.worker();
	}

	@Override
	public int replica() {
		return this.context.index();
	}

	@Override
	public SignalTarget target() {
		return (this.group != null) ? this.group : SignalTarget.process(pid());
	}

	@Override
	public @Nullable SignalTarget group() {
		return this.group;
	}

	@Override
	public ControlChannel.@Nullable Registration control() {
		return null;
	}

	@Override
	public boolean isAlive() {
		// The handle knows the start time, so a reused pid is not taken for it
		ProcessTable.Stat now = ProcessTable.stat(this.stat);
		return this.handle.isAlive() && now != null && now.live();
	}

	@Override
	public @Nullable ExitStatus exitStatus() {
		return null;
	}

	@Override
	public @Nullable CompletableFuture<?> exited() {
		return null;
	}

	@Override
	public void kill() {
		this.handle.destroyForcibly();
	}

	@Override
	public Stream<ProcessHandle> descendants() {
		return this.handle.descendants();
	}

	@Override
	public String toString() {
		return "replica " + this.context + " (pid " + pid() + ", not handed over)";
	}

}
