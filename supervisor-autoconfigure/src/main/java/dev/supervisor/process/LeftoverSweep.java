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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.supervisor.shutdown.Deadline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Finds and stops what a previous run of the application left behind when it was killed
 * so hard that even its orphan guard could not help (say, a power-cut style SIGKILL while
 * a worker ignored every signal and had left its process group).
 * <p>
 * Every replica carries the application's identity ({@value WorkerEnvironment#APP}) and
 * its owner ({@value WorkerEnvironment#OWNER}: the supervising JVM's pid and start time).
 * A process is a leftover only if it runs as this user, carries this identity, and its
 * owner is not alive: the replicas of another running instance of the same application
 * are never touched, nor is anything without the marker.
 *
 * @author the supervisor authors
 */
final class LeftoverSweep {

	private static final Log logger = LogFactory.getLog(LeftoverSweep.class);

	private static final Path PROC = Path.of("/proc");

	private final ProcessTable table;

	private final StopLadder ladder;

	private final String owner;

	LeftoverSweep(ProcessTable table, StopLadder ladder) {
		this.table = table;
		this.ladder = ladder;
		long pid = ProcessHandle.current().pid();
		ProcessTable.Stat self = table.available() ? ProcessTable.stat(PROC.resolve(pid + "/stat")) : null;
		this.owner = (self != null) ? pid + ":" + self.startTime() : Long.toString(pid);
	}

	/**
	 * Return the owner value for replicas of this JVM.
	 * @return {@code pid:start-time}, or the pid alone without {@code /proc}
	 */
	String owner() {
		return this.owner;
	}

	/**
	 * Find the leftovers of earlier runs of the application and stop them through the
	 * stop ladder.
	 * @param identity the application's identity
	 * @param grace how long a leftover may take to go after SIGTERM
	 * @return a future completing with how each was stopped
	 */
	CompletableFuture<List<StopOutcome>> sweep(String identity, Duration grace) {
		List<Leftover> leftovers = find(identity, this.owner);
		if (leftovers.isEmpty()) {
			return CompletableFuture.completedFuture(List.of());
		}
		logger.warn("Found " + leftovers.size() + " process(es) left behind by an earlier run of '" + identity + "': "
				+ leftovers.stream().map(Leftover::describe).collect(Collectors.joining("; "))
				+ ". Stopping them before starting workers");
		Deadline deadline = Deadline.after(grace);
		List<CompletableFuture<@Nullable StopOutcome>> stops = new ArrayList<>();
		for (Leftover leftover : leftovers) {
			stops.add(this.ladder.stop(leftover, Signal.TERM, deadline).result().thenApply((outcome) -> outcome));
		}
		return StopOutcome.collect(stops).thenApply((outcomes) -> {
			outcomes.forEach((outcome) -> logger
				.info("Stopped leftover pid " + outcome.pid() + " of worker '" + outcome.worker() + "' in "
						+ outcome.took().toMillis() + "ms" + (outcome.killed() ? ", killed with SIGKILL" : "")));
			return outcomes;
		});
	}

	/**
	 * Return the leftovers: this user's live processes with the identity whose owner is
	 * gone.
	 */
	List<Leftover> find(String identity, String owner) {
		if (!this.table.available()) {
			return List.of();
		}
		Integer uid = uid(PROC.resolve(Long.toString(ProcessHandle.current().pid())));
		ProcessTable.Snapshot snapshot = this.table.snapshot();
		List<Leftover> found = new ArrayList<>();
		for (ProcessTable.Stat stat : snapshot.byPid().values()) {
			Path directory = PROC.resolve(Long.toString(stat.pid()));
			if (!stat.live() || stat.pid() == ProcessHandle.current().pid() || uid == null
					|| !uid.equals(uid(directory))) {
				continue;
			}
			Map<String, String> environment = environment(directory);
			String theirOwner = environment.get(WorkerEnvironment.OWNER);
			if (identity.equals(environment.get(WorkerEnvironment.APP)) && theirOwner != null
					&& !theirOwner.equals(owner) && !alive(theirOwner, snapshot)) {
				ProcessHandle.of(stat.pid())
					.ifPresent((handle) -> found.add(new Leftover(handle, stat, environment, this.table)));
			}
		}
		return found;
	}

	private static boolean alive(String owner, ProcessTable.Snapshot snapshot) {
		String[] parts = owner.split(":");
		try {
			ProcessTable.Stat stat = snapshot.live(Long.parseLong(parts[0]));
			return stat != null && (parts.length < 2 || stat.startTime() == Long.parseLong(parts[1]));
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * Return the owner of a process: the owner of its {@code /proc} directory, one
	 * {@code stat} call.
	 */
	private static @Nullable Integer uid(Path directory) {
		try {
			return (Integer) Files.getAttribute(directory, "unix:uid");
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			// gone, or no unix attributes here
			return null;
		}
	}

	private static Map<String, String> environment(Path directory) {
		Map<String, String> environment = new HashMap<>();
		try {
			String all = new String(Files.readAllBytes(directory.resolve("environ")), StandardCharsets.UTF_8);
			for (String variable : all.split("\0")) {
				int equals = variable.indexOf('=');
				if (equals > 0) {
					environment.put(variable.substring(0, equals), variable.substring(equals + 1));
				}
			}
		}
		catch (IOException ex) {
			// gone, or not ours to read
		}
		return environment;
	}

	/**
	 * A process left behind, stopped like a replica but watched through the process
	 * table: it is not our child, so its exit is no event.
	 */
	static final class Leftover implements StopTarget {

		private final ProcessHandle handle;

		private final ProcessTable.Stat stat;

		private final Map<String, String> environment;

		private final ProcessTable table;

		Leftover(ProcessHandle handle, ProcessTable.Stat stat, Map<String, String> environment, ProcessTable table) {
			this.handle = handle;
			this.stat = stat;
			this.environment = environment;
			this.table = table;
		}

		@Override
		public long pid() {
			return this.handle.pid();
		}

		@Override
		public String worker() {
			return this.environment.getOrDefault(WorkerEnvironment.WORKER, "?");
		}

		@Override
		public int replica() {
			try {
				return Integer.parseInt(this.environment.getOrDefault(WorkerEnvironment.REPLICA, "-1"));
			}
			catch (NumberFormatException ex) {
				return -1;
			}
		}

		@Override
		public SignalTarget target() {
			SignalTarget group = group();
			return (group != null) ? group : SignalTarget.process(pid());
		}

		@Override
		public @Nullable SignalTarget group() {
			return (this.stat.pgid() == this.stat.pid()) ? SignalTarget.group(this.stat.pgid()) : null;
		}

		@Override
		public ControlChannel.@Nullable Registration control() {
			return null;
		}

		@Override
		public boolean isAlive() {
			return this.handle.isAlive() && this.table.snapshot().isLive(pid());
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

		String describe() {
			return "pid " + pid() + " (worker '" + worker() + "' replica " + replica() + ", "
					+ this.handle.info().commandLine().map(CommandLineMasker::mask).orElse("command unknown") + ")";
		}

	}

}
