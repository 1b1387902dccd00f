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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.supervisor.process.SupervisorEvent.GroupGaveUp;
import dev.supervisor.process.SupervisorEvent.ReplicaExited;
import dev.supervisor.process.SupervisorEvent.ReplicaRestarting;
import dev.supervisor.process.SupervisorEvent.ReplicaStarted;
import dev.supervisor.shutdown.Deadline;
import dev.supervisor.test.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.supervisor.process.TestSupervisors.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Supervisor} on real processes.
 *
 * @author the supervisor authors
 */
class SupervisorTests {

	private static final Duration START = Duration.ofSeconds(20);

	private final TestSupervisors supervisors = new TestSupervisors();

	@TempDir
	Path dir;

	@AfterEach
	void close() {
		this.supervisors.close();
	}

	@Test
	void replicasStartBecomeReadyAndAreRestartedWithANewPidAfterKill9() throws Exception {
		Supervisor supervisor = this.supervisors.create(sh("sleepers", "exec sleep 1000").replicas(3).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		GroupSnapshot group = supervisor.snapshot("sleepers");
		assertThat(group.state()).isEqualTo(GroupState.RUNNING);
		assertThat(group.replicas()).extracting(ReplicaSnapshot::state).containsOnly(ReplicaState.READY);
		long victim = group.replicas().get(1).pid();
		assertThat(Processes.isAlive(victim)).isTrue();
		Processes.kill(List.of(victim));
		await().atMost(START).until(() -> {
			ReplicaSnapshot replica = supervisor.snapshot("sleepers").replicas().get(1);
			return replica.state() == ReplicaState.READY && replica.pid() != null && replica.pid() != victim;
		});
		ReplicaSnapshot replaced = supervisor.snapshot("sleepers").replicas().get(1);
		assertThat(replaced.restarts()).isEqualTo(1);
		assertThat(replaced.lastExit().status().signal()).isEqualTo(Signal.KILL);
		assertThat(replaced.lastExit().cause()).isEqualTo(ExitCause.CRASHED);
		assertThat(this.supervisors.events(ReplicaRestarting.class)).singleElement()
			.satisfies((event) -> assertThat(event.cause()).isEqualTo(RestartCause.CRASHED));
		assertThat(Processes.isAlive(replaced.pid())).isTrue();
	}

	@Test
	void restartNeverLeavesAnExitedReplicaAlone() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(waitsForFile("once", "go", 1).restart(RestartPolicy.NEVER).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Files.createFile(this.dir.resolve("go"));
		await().atMost(START).until(() -> supervisor.snapshot("once").replicas().get(0).state() == ReplicaState.EXITED);
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.supervisors.events(ReplicaStarted.class).size() == 1);
		assertThat(supervisor.snapshot("once").replicas().get(0).lastExit().status().code()).isEqualTo(1);
	}

	@Test
	void restartOnFailureRestartsFailuresOnly() throws Exception {
		Supervisor supervisor = this.supervisors.create(
				waitsForFile("succeeds", "go", 0).restart(RestartPolicy.ON_FAILURE).build(),
				waitsForFile("fails", "go", 2).restart(RestartPolicy.ON_FAILURE).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Files.createFile(this.dir.resolve("go"));
		await().atMost(START)
			.until(() -> supervisor.snapshot("succeeds").replicas().get(0).state() == ReplicaState.EXITED);
		await().atMost(START).until(() -> this.supervisors.events(ReplicaRestarting.class).size() >= 1);
		assertThat(this.supervisors.events(ReplicaRestarting.class)).allSatisfy((event) -> {
			assertThat(event.worker()).isEqualTo("fails");
			assertThat(event.cause()).isEqualTo(RestartCause.CRASHED);
		});
		assertThat(supervisor.snapshot("succeeds").replicas().get(0).lastExit().cause()).isEqualTo(ExitCause.COMPLETED);
	}

	@Test
	void workerThatExitsBeforeReadyFailsTheStartOnceWithItsLastLines() {
		Supervisor supervisor = this.supervisors
			.create(sh("broken", "echo starting; echo 'boom: config missing' >&2; exit 3")
				.readiness(new Readiness.Uptime(Duration.ofSeconds(5)))
				.build());
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(WorkerStartupException.class, (ex) -> {
				StartupFailure failure = ex.getFailure();
				assertThat(failure.worker()).isEqualTo("broken");
				assertThat(failure.kind()).isEqualTo(StartupFailure.Kind.EXITED);
				assertThat(failure.status().code()).isEqualTo(3);
				assertThat(failure.lastLines()).contains("starting", "boom: config missing");
				assertThat(ex.getMessage()).startsWith("Worker 'broken' replica 0 exited with exit code 3");
			});
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.supervisors.events(ReplicaStarted.class).size() == 1);
		assertThat(supervisor.snapshot("broken").replicas().get(0).state()).isEqualTo(ReplicaState.FAILED);
	}

	@Test
	void replicaNotReadyWithinItsStartupTimeoutIsStoppedAndFailsTheStart() {
		Supervisor supervisor = this.supervisors
			.create(sh("slow", "exec sleep 1000").readiness(new Readiness.LogLine(Pattern.compile("never printed")))
				.startupTimeout(Duration.ofMillis(300))
				.build());
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(WorkerStartupException.class,
					(ex) -> assertThat(ex.getFailure().kind()).isEqualTo(StartupFailure.Kind.TIMED_OUT));
		ExitRecord exit = supervisor.snapshot("slow").replicas().get(0).lastExit();
		assertThat(exit.cause()).isEqualTo(ExitCause.STARTUP_TIMEOUT);
		assertThat(Processes.isAlive(exit.pid())).isFalse();
	}

	@Test
	void crashLoopAfterStartupGivesUpAndKeepsRunningWhenAskedTo() throws Exception {
		Path crash = this.dir.resolve("crash");
		Supervisor supervisor = this.supervisors.create(
				sh("flaky", "if [ -e '" + crash + "' ]; then echo crashing; exit 1; fi; echo ready; exec sleep 1000")
					.readiness(new Readiness.LogLine(Pattern.compile("ready")))
					.backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 2, 0))
					.crashLoop(new CrashLoopLimit(3, Duration.ofMinutes(1)))
					.onGiveUp(GiveUpAction.KEEP_RUNNING)
					.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Files.createFile(crash);
		Processes.kill(List.of(supervisor.snapshot("flaky").replicas().get(0).pid()));
		// The state changes before listeners hear of it
		await().atMost(START)
			.until(() -> supervisor.snapshot("flaky").state() == GroupState.FAILED
					&& !this.supervisors.events(GroupGaveUp.class).isEmpty());
		assertThat(this.supervisors.events(GroupGaveUp.class)).singleElement()
			.satisfies((event) -> assertThat(event.action()).isEqualTo(GiveUpAction.KEEP_RUNNING));
		assertThat(this.supervisors.events(ReplicaRestarting.class)).extracting(ReplicaRestarting::cause)
			.containsExactly(RestartCause.CRASHED, RestartCause.STARTUP_FAILED, RestartCause.STARTUP_FAILED);
		ReplicaSnapshot replica = supervisor.snapshot("flaky").replicas().get(0);
		assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
		assertThat(replica.lastExit().startupFailure()).isTrue();
		// A manual restart gives the group another chance
		Files.delete(crash);
		supervisor.restart("flaky").get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(START).until(() -> supervisor.snapshot("flaky").state() == GroupState.RUNNING);
	}

	@Test
	void workerIgnoringTermIsKilledAtItsStopTimeout() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(sh("stubborn", "trap '' TERM; echo ready; while :; do sleep 1; done")
				.readiness(new Readiness.LogLine(Pattern.compile("ready")))
				.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long pid = supervisor.snapshot("stubborn").replicas().get(0).pid();
		long began = System.nanoTime();
		List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(1))).get(10, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - began);
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.killed()).isTrue();
			assertThat(outcome.status().signal()).isEqualTo(Signal.KILL);
			assertThat(outcome.leftovers()).isEmpty();
		});
		assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofMillis(2500));
		assertThat(Processes.groupMembers(pid)).isEmpty();
	}

	@Test
	void restartKillsAReplicaIgnoringTermAtItsOwnStopTimeout() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(sh("stubborn", "trap '' TERM; echo ready; while :; do sleep 1; done")
				.readiness(new Readiness.LogLine(Pattern.compile("ready")))
				.stopTimeout(Duration.ofMillis(800))
				.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long pid = supervisor.snapshot("stubborn").replicas().get(0).pid();
		long began = System.nanoTime();
		supervisor.restart("stubborn", 0).get(10, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - began);
		ReplicaSnapshot replica = supervisor.snapshot("stubborn").replicas().get(0);
		assertThat(replica.lastExit().killed()).isTrue();
		assertThat(replica.lastExit().cause()).isEqualTo(ExitCause.STOPPED);
		assertThat(replica.pid()).isNotEqualTo(pid);
		assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofMillis(2300));
		assertThat(Processes.groupMembers(pid)).isEmpty();
	}

	@Test
	void outputCanBeInheritedOrDiscarded() throws Exception {
		Supervisor supervisor = this.supervisors.create(
				sh("inherited", "echo inherited-line; exec sleep 1000")
					.output(new OutputSpec(OutputSpec.Mode.INHERIT, false, 100, 10, OutputSpec.Overflow.DROP))
					.build(),
				sh("discarded", "echo discarded-line; exec sleep 1000")
					.output(new OutputSpec(OutputSpec.Mode.DISCARD, false, 100, 10, OutputSpec.Overflow.DROP))
					.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		for (String worker : List.of("inherited", "discarded")) {
			long pid = supervisor.snapshot(worker).replicas().get(0).pid();
			Path stdout = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "1"));
			assertThat(supervisor.find(worker).replicas().get(0).lastLines()).isEmpty();
			Path expected = worker.equals("discarded") ? Path.of("/dev/null")
					: Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
			assertThat(stdout).isEqualTo(expected);
		}
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("supervisor-inherited")
					|| thread.getName().startsWith("supervisor-discarded"));
	}

	@Test
	void gracefulStopEndsBeforeTheDeadlineWithoutKilling() throws Exception {
		Supervisor supervisor = this.supervisors.create(sh("polite", "exec sleep 1000").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(10))).get(5, TimeUnit.SECONDS);
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.killed()).isFalse();
			assertThat(outcome.status().signal()).isEqualTo(Signal.TERM);
		});
	}

	@Test
	void stopLeavesNoDescendantBehindIncludingOrphanedAndEscapedGrandchildren() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(sh("family", "sleep 1000 & sh -c 'sleep 1001 & exit 0'; setsid sleep 1002 & echo ready; wait")
				.readiness(new Readiness.LogLine(Pattern.compile("ready")))
				.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long pid = supervisor.snapshot("family").replicas().get(0).pid();
		List<Long> tree = new ArrayList<>(Processes.groupMembers(pid));
		ProcessHandle.of(pid).orElseThrow().descendants().forEach((handle) -> tree.add(handle.pid()));
		await().atMost(START).until(() -> Processes.groupMembers(pid).size() >= 3);
		tree.addAll(Processes.groupMembers(pid));
		assertThat(tree.stream().map(Processes::commandLine)).contains("sleep 1000", "sleep 1001", "sleep 1002");
		supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
		assertThat(tree).noneMatch(Processes::isAlive);
	}

	@Test
	void fiftyReplicasStartAndStopCleanlyAndStayConsistentUnderConcurrentKills() throws Exception {
		Supervisor supervisor = this.supervisors.create(sh("many", "exec sleep 1000").replicas(50)
			.backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 2, 0.5))
			.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		List<Long> pids = new ArrayList<>(
				supervisor.snapshot("many").replicas().stream().map(ReplicaSnapshot::pid).toList());
		Collections.shuffle(pids);
		List<Long> victims = pids.subList(0, 25);
		CompletableFuture
			.allOf(victims.stream()
				.map((pid) -> CompletableFuture.runAsync(() -> Processes.kill(List.of(pid))))
				.toArray(CompletableFuture[]::new))
			.join();
		await().atMost(START).until(() -> supervisor.snapshot("many").ready() == 50);
		GroupSnapshot group = supervisor.snapshot("many");
		assertThat(group.alive()).isEqualTo(50);
		assertThat(group.replicas()).extracting(ReplicaSnapshot::pid)
			.doesNotHaveDuplicates()
			.noneMatch(victims::contains);
		assertThat(group.replicas().stream().mapToLong(ReplicaSnapshot::pid)).allMatch(Processes::isAlive);
		assertThat(this.supervisors.events(ReplicaExited.class)).hasSize(25);
		List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
		assertThat(outcomes).hasSize(50).noneMatch(StopOutcome::killed);
		assertThat(group.replicas()).extracting(ReplicaSnapshot::pid).noneMatch(Processes::isAlive);
		assertThat(supervisor.snapshot("many").alive()).isZero();
	}

	@Test
	void stopRacingTheStartLeavesNothingBehind() throws Exception {
		Supervisor supervisor = this.supervisors.create(sh("racer", "exec sleep 1000").replicas(20).build());
		CompletableFuture<Void> start = supervisor.start();
		supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(20, TimeUnit.SECONDS);
		assertThat(start).isCompletedExceptionally();
		assertThat(supervisor.snapshot("racer").alive()).isZero();
		assertThat(this.supervisors.events(ReplicaStarted.class)).extracting(ReplicaStarted::pid)
			.noneMatch(Processes::isAlive);
	}

	@Test
	void stopRacingRestartsAndKillsLeavesNothingBehindAndStateConsistent() throws Exception {
		Supervisor supervisor = this.supervisors.create(sh("churn", "exec sleep 1000").replicas(10)
			.backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2, 0))
			.crashLoop(new CrashLoopLimit(100, Duration.ofMinutes(1)))
			.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		List<CompletableFuture<?>> chaos = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			int replica = i;
			chaos.add(supervisor.restart("churn", replica).exceptionally((ex) -> null));
			chaos.add(CompletableFuture.runAsync(() -> {
				Long pid = supervisor.snapshot("churn").replicas().get(replica).pid();
				if (pid != null) {
					Processes.kill(List.of(pid));
				}
			}));
		}
		await().atMost(START).until(() -> supervisor.snapshot("churn").ready() == 10);
		GroupSnapshot group = supervisor.snapshot("churn");
		assertThat(group.alive()).isEqualTo(10);
		assertThat(group.replicas()).allSatisfy((replica) -> assertThat(Processes.isAlive(replica.pid())).isTrue());
		long running = this.supervisors.events(ReplicaStarted.class)
			.stream()
			.map(ReplicaStarted::pid)
			.filter(Processes::isAlive)
			.count();
		assertThat(running).as("every started process but the current ones is gone").isEqualTo(10);
		chaos.add(supervisor.restart("churn").exceptionally((ex) -> null));
		supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(20, TimeUnit.SECONDS);
		CompletableFuture.allOf(chaos.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(this.supervisors.events(ReplicaStarted.class)).extracting(ReplicaStarted::pid)
			.noneMatch(Processes::isAlive);
		assertThat(supervisor.snapshot("churn").alive()).isZero();
	}

	private WorkerSpec.Builder waitsForFile(String name, String file, int exitCode) {
		Path path = this.dir.resolve(file);
		return sh(name, "echo ready; while [ ! -e '" + path + "' ]; do sleep 0.05; done; exit " + exitCode)
			.readiness(new Readiness.LogLine(Pattern.compile("ready")));
	}

}
