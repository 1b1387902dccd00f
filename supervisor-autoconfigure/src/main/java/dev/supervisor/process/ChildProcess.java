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

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * One started process of a replica: a replica that is restarted gets a new one.
 *
 * @author the supervisor authors
 */
final class ChildProcess implements StopTarget {

	private final Process process;

	private final ReplicaContext context;

	private final List<String> command;

	private final @Nullable SignalTarget group;

	private final Instant startedAt;

	private final long startedNanos;

	private final OutputTail tail;

	private final List<OutputPump> pumps;

	private CompletableFuture<Void> outputEnded = CompletableFuture.completedFuture(null);

	private volatile ControlChannel.@Nullable Registration control;

	private volatile @Nullable String status;

	private @Nullable Instant exitNoticed;

	private boolean drained;

	/**
	 * Take a started process in hand.
	 * @param process the process
	 * @param context the replica it runs for
	 * @param command its command, for messages
	 * @param ownGroup whether it leads a process group of its own
	 * @param tailLines how many of its last output lines to keep
	 * @param pumps the threads that will read its standard output and, if separate, its
	 * standard error; started before the process, see {@link #pumpOutput}
	 */
	ChildProcess(Process process, ReplicaContext context, List<String> command, boolean ownGroup, int tailLines,
			List<OutputPump> pumps) {
		this.process = process;
		this.context = context;
		this.command = command;
		this.group = ownGroup ? SignalTarget.group(process.pid()) : null;
		this.startedAt = Instant.now();
		this.startedNanos = System.nanoTime();
		this.tail = new OutputTail(tailLines);
		this.pumps = List.copyOf(pumps);
	}

	@Override
	public long pid() {
		return this.process.pid();
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
	public @Nullable CompletableFuture<?> exited() {
		return this.process.onExit();
	}

	@Override
	public void kill() {
		this.process.destroyForcibly();
	}

	@Override
	public Stream<ProcessHandle> descendants() {
		return this.process.descendants();
	}

	Process process() {
		return this.process;
	}

	ReplicaContext context() {
		return this.context;
	}

	List<String> command() {
		return this.command;
	}

	/**
	 * Return the process group of this process, if it leads one of its own.
	 * @return the group or {@code null}
	 */
	@Override
	public @Nullable SignalTarget group() {
		return this.group;
	}

	/**
	 * Return what a signal for the whole replica goes to: its group if it has one.
	 * @return the target
	 */
	@Override
	public SignalTarget target() {
		return (this.group != null) ? this.group : SignalTarget.process(pid());
	}

	Instant startedAt() {
		return this.startedAt;
	}

	long startedNanos() {
		return this.startedNanos;
	}

	@Override
	public boolean isAlive() {
		return this.process.isAlive();
	}

	CompletableFuture<Process> onExit() {
		return this.process.onExit();
	}

	@Override
	public ExitStatus exitStatus() {
		return new ExitStatus(this.process.exitValue());
	}

	OutputTail tail() {
		return this.tail;
	}

	/**
	 * Return this process's registration on the control channel, if it has one.
	 * @return the registration or {@code null}
	 */
	@Override
	public ControlChannel.@Nullable Registration control() {
		return this.control;
	}

	void control(ControlChannel.@Nullable Registration control) {
		this.control = control;
	}

	@Nullable String status() {
		return this.status;
	}

	void status(String status) {
		this.status = status;
	}

	/**
	 * Return when the supervisor first noticed that this process exited.
	 * @return the instant
	 */
	Instant exitNoticed() {
		if (this.exitNoticed == null) {
			this.exitNoticed = Instant.now();
		}
		return this.exitNoticed;
	}

	boolean drained() {
		return this.drained;
	}

	void drained(boolean drained) {
		this.drained = drained;
	}

	/**
	 * Pump standard output (and standard error, if separate) to the handler on the
	 * threads reserved for it when the process was started.
	 * @param output how output is read
	 * @param handler receives every line with its stream
	 */
	void pumpOutput(OutputSpec output, StreamLineHandler handler) {
		if (this.pumps.isEmpty()) {
			return;
		}
		CompletableFuture<Void> out = this.pumps.get(0)
			.pump(this.process.getInputStream(), output.maxLineLength(),
					(text, truncated) -> handler.line(OutputLine.Stream.OUT, text, truncated));
		if (this.pumps.size() < 2) {
			this.outputEnded = out;
			return;
		}
		CompletableFuture<Void> err = this.pumps.get(1)
			.pump(this.process.getErrorStream(), output.maxLineLength(),
					(text, truncated) -> handler.line(OutputLine.Stream.ERR, text, truncated));
		this.outputEnded = CompletableFuture.allOf(out, err);
	}

	/**
	 * Return a future completing when both output streams have ended.
	 * @return the future
	 */
	CompletableFuture<Void> outputEnded() {
		return this.outputEnded;
	}

	@Override
	public String toString() {
		return "replica " + this.context + " (pid " + pid() + ")";
	}

	/**
	 * Receives a replica's output lines.
	 */
	@FunctionalInterface
	interface StreamLineHandler {

		void line(OutputLine.Stream stream, String text, boolean truncated) throws InterruptedException;

	}

}
