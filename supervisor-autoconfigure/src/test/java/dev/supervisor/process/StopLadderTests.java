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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.supervisor.process.SupervisorEvent.ReplicaExited;
import dev.supervisor.process.SupervisorEvent.ReplicaStarted;
import dev.supervisor.shutdown.Deadline;
import dev.supervisor.test.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static dev.supervisor.process.TestSupervisors.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link StopLadder} on real processes: what escaped a replica's tree is
 * found by its markers, replicas stopped together are signalled and killed in one batch,
 * and signals go out even when no {@code kill} process can be started.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class StopLadderTests {

	private static final Duration START = Duration.ofSeconds(20);

	/** Leaves a daemon that forked twice and started a session of its own. */
	private static final String DOUBLE_FORK = "(setsid sleep 1003 &); sleep 1.5; exit 1";

	private static final Readiness READY = new Readiness.LogLine(Pattern.compile("ready"));

	private final TestSupervisors supervisors = new TestSupervisors();

	@AfterEach
	void close() {
		this.supervisors.close();
		Processes.kill(daemons());
	}

	@Test
	void daemonsThatEscapedByDoubleForkAreGoneBeforeEachReplacementStartsAndTheStopNamesThem() throws Exception {
		List<String> survivors = new CopyOnWriteArrayList<>();
		Supervisor supervisor = this.supervisors.create((options) -> options.withListener((event) -> {
			if (event instanceof ReplicaStarted started) {
				// No daemon of an earlier process may live when its replacement starts
				long born = Processes.startTime(started.pid());
				for (long daemon : daemons()) {
					if (startTime(daemon) < born) {
						survivors.add("daemon " + daemon + " when pid " + started.pid() + " started");
					}
				}
			}
			this.supervisors.events.add(event);
		}), sh("escaper", DOUBLE_FORK).backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 1, 0))
			.crashLoop(new CrashLoopLimit(20, Duration.ofMinutes(1)))
			.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(START).until(() -> this.supervisors.events(ReplicaStarted.class).size() >= 4);
		long current = this.supervisors.events(ReplicaStarted.class).get(3).pid();
		await().atMost(START).until(() -> daemons().stream().anyMatch((daemon) -> isDaemonOf(daemon, current)));
		assertThat(daemons()).hasSize(1);
		long daemon = daemons().get(0);
		assertThat(survivors).isEmpty();
		List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.pid()).isEqualTo(current);
			assertThat(outcome.foundByMarkers()).containsExactly(daemon);
			assertThat(outcome.killed()).isFalse();
		});
		assertThat(daemons()).isEmpty();
	}

	@Test
	void aReplicaScaledAwayAndBackStartsAgainOnlyOnceTheOldOneIsGoneAndIsNotTakenForItsTree() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(sh("deaf", "trap '' TERM; echo ready; while :; do sleep 1; done").readiness(READY)
				.replicas(2)
				.stopTimeout(Duration.ofSeconds(1))
				.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long old = supervisor.snapshot("deaf").replicas().get(1).pid();
		supervisor.scale("deaf", 1);
		supervisor.scale("deaf", 2).get(START.toSeconds(), TimeUnit.SECONDS);
		// The old replica 1 is killed at its stop timeout; only then does the new one
		// start
		await().atMost(START).until(() -> !this.supervisors.events(ReplicaExited.class).isEmpty());
		await().atMost(START).until(() -> supervisor.snapshot("deaf").ready() == 2);
		ReplicaExited gone = this.supervisors.events(ReplicaExited.class).get(0);
		assertThat(gone.exit().pid()).isEqualTo(old);
		ReplicaStarted replacement = this.supervisors.events(ReplicaStarted.class)
			.stream()
			.filter((started) -> started.replica() == 1 && started.pid() != old)
			.findFirst()
			.orElseThrow();
		assertThat(replacement.at()).isAfterOrEqualTo(gone.at());
		// Nothing else was taken for the old one's tree
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.supervisors.events(ReplicaExited.class).size() == 1);
		assertThat(supervisor.snapshot("deaf").replicas().get(1).pid()).isEqualTo(replacement.pid());
	}

	@Test
	void replicasStoppedTogetherAreSignalledInOneBatchAndKilledInOneBatchAtTheDeadline() throws Exception {
		Supervisor supervisor = this.supervisors.create(
				sh("deaf", "trap '' TERM; echo ready; while :; do sleep 1; done").readiness(READY).replicas(6).build(),
				sh("polite", "echo ready; exec sleep 1000").readiness(READY).replicas(6).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Deadline deadline = Deadline.after(Duration.ofSeconds(1));
		List<StopOutcome> outcomes = supervisor.stop(deadline).get(10, TimeUnit.SECONDS);
		assertThat(outcomes).hasSize(12);
		// One batch: one moment, when the kill calls had returned, for every replica
		Instant signalled = outcomes.get(0).signalledAt();
		assertThat(outcomes).allSatisfy((outcome) -> {
			assertThat(outcome.signalledAt()).isNotNull().isEqualTo(signalled);
			assertThat(outcome.askedAt()).isEqualTo(signalled);
			assertThat(outcome.askedAt()).isAfterOrEqualTo(outcome.requestedAt());
			assertThat(outcome.leftovers()).isEmpty();
		});
		List<StopOutcome> deaf = outcomes.stream().filter((outcome) -> outcome.worker().equals("deaf")).toList();
		Instant killed = deaf.get(0).killedAt();
		assertThat(killed).isAfter(deadline.instant().minusMillis(5));
		assertThat(deaf).hasSize(6).allSatisfy((outcome) -> {
			assertThat(outcome.killedAt()).isEqualTo(killed);
			assertThat(outcome.status().signal()).isEqualTo(Signal.KILL);
		});
		assertThat(outcomes).filteredOn((outcome) -> outcome.worker().equals("polite"))
			.hasSize(6)
			.allSatisfy((outcome) -> {
				assertThat(outcome.killed()).isFalse();
				assertThat(outcome.status().signal()).isEqualTo(Signal.TERM);
			});
	}

	@Test
	void whenNoKillProcessCanBeStartedTermStillReachesEveryMemberOfTheGroup() throws Exception {
		Platform platform = Platform.current(false);
		assumeThat(platform.setsid()).as("setsid").isNotNull();
		assumeThat(platform.procfs()).as("/proc").isTrue();
		// As when a limit on processes is reached: no 'kill' can be started
		Platform noKill = new Platform(false, platform.setsid(), Path.of("/nonexistent/sh"), true, null);
		WorkerSpec spec = sh("family", "sleep 1000 & sleep 1001 & echo ready; wait").readiness(READY).build();
		List<Long> tree = new ArrayList<>();
		try (Supervisor supervisor = new Supervisor(List.of(spec),
				SupervisorOptions.defaults()
					.withDefaultStopTimeout(Duration.ofSeconds(5))
					.withOrphanGuard(false, Duration.ofSeconds(1)),
				noKill)) {
			supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
			long pid = supervisor.snapshot("family").replicas().get(0).pid();
			await().atMost(START).until(() -> Processes.groupMembers(pid).size() == 3);
			tree.addAll(Processes.groupMembers(pid));
			List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(5)))
				.get(10, TimeUnit.SECONDS);
			assertThat(outcomes).singleElement().satisfies((outcome) -> {
				assertThat(outcome.killed()).as("TERM reached the whole group; nothing waited for the deadline")
					.isFalse();
				assertThat(outcome.status().signal()).isEqualTo(Signal.TERM);
			});
			assertThat(tree).noneMatch(Processes::isAlive);
		}
		finally {
			Processes.kill(tree);
		}
	}

	/**
	 * Return the live {@code sleep 1003} daemons of this JVM's replicas.
	 */
	private static List<Long> daemons() {
		long self = ProcessHandle.current().pid();
		Set<Long> ours = Set
			.copyOf(Processes.withEnvironment("SUPERVISOR_OWNER=" + self + ":" + Processes.startTime(self)));
		return Processes.withEnvironment("SUPERVISOR_WORKER=escaper")
			.stream()
			.filter(ours::contains)
			.filter((pid) -> Processes.commandLine(pid).equals("sleep 1003"))
			.toList();
	}

	private static boolean isDaemonOf(long daemon, long replica) {
		return startTime(daemon) >= startTime(replica);
	}

	private static long startTime(long pid) {
		try {
			return Processes.startTime(pid);
		}
		catch (IllegalStateException ex) {
			// gone meanwhile
			return Long.MAX_VALUE;
		}
	}

}
