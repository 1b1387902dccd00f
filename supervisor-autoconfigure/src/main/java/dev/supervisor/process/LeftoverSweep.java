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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * owner is provably not alive (no live process has its pid and start time): the replicas
 * of another running instance of the same application are never touched, nor is anything
 * without the marker, of another user, or with an owner that does not parse. Each
 * leftover is signalled alone, never through its process group, whose other members need
 * not carry the marker.
 *
 * @author the supervisor authors
 */
final class LeftoverSweep {

	private static final Log logger = LogFactory.getLog(LeftoverSweep.class);

	/** An owner marker: the pid and the start time of the JVM, both needed as proof. */
	private static final Pattern OWNER = Pattern.compile("(\\d{1,18}):(\\d{1,18})");

	private final ProcessTable table;

	private final StopLadder ladder;

	private final String owner;

	LeftoverSweep(ProcessTable table, StopLadder ladder, String owner) {
		this.table = table;
		this.ladder = ladder;
		this.owner = owner;
	}

	/**
	 * Find the leftovers of earlier runs of the application and stop them through the
	 * stop ladder, each process alone: only those found carry the marker.
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
		List<CompletableFuture<@Nullable StopOutcome>> stops = this.ladder.wave(() -> leftovers.stream()
			.map((leftover) -> this.ladder.stop(leftover, Signal.TERM, deadline)
				.result()
				.<@Nullable StopOutcome>thenApply((outcome) -> outcome))
			.toList());
		return StopOutcome.collect(stops).thenApply((outcomes) -> {
			outcomes.forEach((outcome) -> logger
				.info("Stopped leftover pid " + outcome.pid() + " of worker '" + outcome.worker() + "' in "
						+ outcome.took().toMillis() + "ms" + (outcome.killed() ? ", killed with SIGKILL" : "")));
			return outcomes;
		});
	}

	/**
	 * Return the leftovers: this user's live processes with the identity whose owner is
	 * gone. A process whose owner marker does not name a pid and a start time is left
	 * alone, and logged: that its owner is gone cannot be proven.
	 */
	List<Leftover> find(String identity, String owner) {
		if (!this.table.available()) {
			return List.of();
		}
		long self = ProcessHandle.current().pid();
		Integer uid = ProcessTable.uid(self);
		ProcessTable.Snapshot snapshot = this.table.snapshot();
		List<Leftover> found = new ArrayList<>();
		List<String> unproven = new ArrayList<>();
		for (ProcessTable.Stat stat : snapshot.byPid().values()) {
			if (!stat.live() || stat.pid() == self || uid == null || !uid.equals(ProcessTable.uid(stat.pid()))) {
				continue;
			}
			Map<String, String> environment = ProcessTable.environment(stat.pid());
			String theirOwner = environment.get(WorkerEnvironment.OWNER);
			if (!identity.equals(environment.get(WorkerEnvironment.APP)) || theirOwner == null
					|| theirOwner.equals(owner)) {
				continue;
			}
			Matcher parsed = OWNER.matcher(theirOwner);
			if (!parsed.matches()) {
				unproven.add("pid " + stat.pid() + " (owner '" + theirOwner + "', "
						+ ProcessHandle.of(stat.pid())
							.flatMap((handle) -> handle.info().commandLine())
							.orElse("command unknown")
						+ ")");
				continue;
			}
			if (!alive(Long.parseLong(parsed.group(1)), Long.parseLong(parsed.group(2)), snapshot)) {
				ProcessHandle.of(stat.pid())
					.ifPresent((handle) -> found.add(new Leftover(handle, stat, uid, environment, this.table)));
			}
		}
		if (!unproven.isEmpty()) {
			logger.warn("Left " + unproven.size() + " process(es) marked as '" + identity + "' alone: their "
					+ WorkerEnvironment.OWNER + " is not a process id and start time, so it cannot be told whether"
					+ " the application that started them is gone: " + String.join("; ", unproven)
					+ ". Stop them yourself if they are leftovers");
		}
		return found;
	}

	private static boolean alive(long pid, long startTime, ProcessTable.Snapshot snapshot) {
		ProcessTable.Stat stat = snapshot.live(pid);
		return stat != null && stat.startTime() == startTime;
	}

	/**
	 * A process left behind, stopped like a replica but watched through the process
	 * table: it is not our child, so its exit is no event. It is stopped alone, by its
	 * pid, never by its group: only it was proven to carry the marker, and before every
	 * signal it is checked to be the same process of the same user.
	 */
	static final class Leftover implements StopTarget {

		private final ProcessHandle handle;

		private final ProcessTable.Stat stat;

		private final int uid;

		private final Map<String, String> environment;

		private final ProcessTable table;

		Leftover(ProcessHandle handle, ProcessTable.Stat stat, int uid, Map<String, String> environment,
				ProcessTable table) {
			this.handle = handle;
			this.stat = stat;
			this.uid = uid;
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
			return SignalTarget.process(pid());
		}

		@Override
		public @Nullable SignalTarget group() {
			return null;
		}

		@Override
		public boolean wholeTree() {
			return false;
		}

		@Override
		public MarkerSearch.@Nullable Marks marks() {
			return null;
		}

		@Override
		public ControlChannel.@Nullable Registration control() {
			return null;
		}

		/**
		 * Return whether the process found is still there: the same pid and start time
		 * (the handle checks it), not a zombie, and still of this user.
		 */
		@Override
		public boolean isAlive() {
			ProcessTable.Stat now = this.table.snapshot().live(pid());
			return this.handle.isAlive() && now != null && now.startTime() == this.stat.startTime()
					&& Integer.valueOf(this.uid).equals(ProcessTable.uid(pid()));
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
			if (isAlive()) {
				this.handle.destroyForcibly();
			}
		}

		@Override
		public Stream<ProcessHandle> descendants() {
			return Stream.empty();
		}

		String describe() {
			return "pid " + pid() + " (worker '" + worker() + "' replica " + replica() + ", "
					+ this.handle.info().commandLine().map(CommandLineMasker::mask).orElse("command unknown") + ")";
		}

		@Override
		public String toString() {
			return "leftover pid " + pid() + " of worker '" + worker() + "'";
		}

	}

}
