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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OrphanGuard}: replicas must not outlive a supervisor JVM that dies.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class OrphanGuardTests {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	@TempDir
	Path temp;

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void replicasAndGrandchildrenDieWhenTheJvmIsKilledWithSigkill() throws Exception {
		List<String> command = JavaCommand.of(SupervisedJvm.class.getName(), List.of("-Xmx64m"), List.of("1000"));
		Process jvm = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		List<Long> tree = new ArrayList<>();
		try {
			List<Long> replicas = reportedReplicas(jvm);
			for (long replica : replicas) {
				await().atMost(Duration.ofSeconds(10)).until(() -> Processes.groupMembers(replica).size() >= 2);
				tree.addAll(Processes.groupMembers(replica));
			}
			assertThat(tree.stream().map(Processes::commandLine)).contains("sleep 1000", "sleep 1001", "sleep 1002");
			jvm.destroyForcibly();
			assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(Processes::isAlive));
		}
		finally {
			jvm.destroyForcibly();
			Processes.kill(tree);
		}
	}

	@Test
	void replicasCarryTheMarkersOfTheirOwnSupervisorNotThoseItInherited() throws Exception {
		assertReplicaMarkers("inner",
				(environment, jvm) -> assertThat(environment).contains("\0SUPERVISOR_APP=inner\0")
					.contains("\0SUPERVISOR_OWNER=" + jvm.pid() + ":" + Processes.startTime(jvm.pid()) + "\0")
					.doesNotContain("outer")
					.doesNotContain("SUPERVISOR_OWNER=1:1"));
		// Without an identity of its own, no application is marked, and the inherited
		// markers are not passed on: its replicas carry only their owner, by which its
		// stop ladder finds what left their trees
		assertReplicaMarkers(null,
				(environment, jvm) -> assertThat(environment).doesNotContain("SUPERVISOR_APP=")
					.contains("\0SUPERVISOR_OWNER=" + jvm.pid() + ":" + Processes.startTime(jvm.pid()) + "\0")
					.doesNotContain("SUPERVISOR_OWNER=1:1"));
	}

	/**
	 * Run a supervised JVM as if it were itself a worker of another supervisor, and check
	 * the environment of its replicas.
	 */
	private void assertReplicaMarkers(@Nullable String identity, BiConsumer<String, Process> check) throws Exception {
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx64m"));
		if (identity != null) {
			jvmArgs.add("-Dsupervisor.identity=" + identity);
		}
		List<String> command = JavaCommand.of(SupervisedJvm.class.getName(), jvmArgs, List.of("200"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("SUPERVISOR_APP", "outer");
		builder.environment().put("SUPERVISOR_OWNER", "1:1");
		Process jvm = builder.start();
		List<Long> replicas = new ArrayList<>();
		try {
			replicas.addAll(reportedReplicas(jvm));
			for (long replica : replicas) {
				check.accept("\0" + Processes.environment(replica), jvm);
			}
		}
		finally {
			jvm.destroyForcibly();
			jvm.waitFor(10, TimeUnit.SECONDS);
			replicas.forEach((replica) -> Processes.kill(Processes.groupMembers(replica)));
		}
	}

	@Test
	void notifyReplicasIgnoringTermEndThemselvesWhenTheJvmIsKilledWithoutAGuard() throws Exception {
		List<String> command = JavaCommand.of(SupervisedJvm.class.getName(), List.of("-Xmx64m"),
				List.of("1000", "notify"));
		Process jvm = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		List<Long> replicas = new ArrayList<>();
		try {
			replicas.addAll(reportedReplicas(jvm));
			for (long replica : replicas) {
				assertThat(ignoresTerm(replica)).as("replica %d ignores SIGTERM", replica).isTrue();
			}
			jvm.destroyForcibly();
			assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
			long killed = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).until(() -> replicas.stream().noneMatch(Processes::isAlive));
			// Their grace is 1s; their graceful work would take a minute, so their
			// watchdogs halted them
			assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofMillis(3500));
		}
		finally {
			jvm.destroyForcibly();
			Processes.kill(replicas);
		}
	}

	private static boolean ignoresTerm(long pid) throws java.io.IOException {
		for (String line : java.nio.file.Files
			.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("SigIgn:")) {
				return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 14)) != 0;
			}
		}
		return false;
	}

	@Test
	void guardThatIsToldGoodbyeLeavesEverythingAlone() throws Exception {
		Process sleeper = new ProcessBuilder("setsid", "sleep", "1000").start();
		OrphanGuard guard = new OrphanGuard(Platform.current(false), Duration.ofMillis(100), this.scheduler);
		try {
			guard.watch(SignalTarget.group(sleeper.pid()));
			long guardPid = guard.pid();
			guard.unwatch(SignalTarget.group(sleeper.pid()));
			guard.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Processes.isAlive(guardPid));
			assertThat(sleeper.isAlive()).isTrue();
			// Its end after a goodbye is no death: no new guard
			guard.exitHandled().get(5, TimeUnit.SECONDS);
			assertThat(guard.starts()).isEqualTo(1);
			assertThat(guard.pid()).isNull();
		}
		finally {
			guard.close();
			sleeper.destroyForcibly().waitFor();
		}
	}

	@Test
	void guardWhoseInputEndsStopsTheGroupsItWatches() throws Exception {
		Process sleeper = new ProcessBuilder("setsid", "sh", "-c", "sleep 1000 & wait").start();
		OrphanGuard guard = new OrphanGuard(Platform.current(false), Duration.ofMillis(100), this.scheduler);
		try {
			guard.watch(SignalTarget.group(sleeper.pid()));
			await().atMost(Duration.ofSeconds(5)).until(() -> Processes.groupMembers(sleeper.pid()).size() == 2);
			List<Long> members = Processes.groupMembers(sleeper.pid());
			// What the JVM's death does to the pipe: the guard sees the end of its input
			ProcessHandle.of(guard.pid()).orElseThrow();
			guard.closeInputForTest();
			await().atMost(Duration.ofSeconds(5)).until(() -> members.stream().noneMatch(Processes::isAlive));
		}
		finally {
			guard.close();
			sleeper.destroyForcibly().waitFor();
		}
	}

	@Test
	void guardKilledWithSigkillIsReplacedAtOnceByOneThatKnowsEveryReplica() throws Exception {
		List<Long> tree = new ArrayList<>();
		try (TestJvm jvm = TestJvm.start(SupervisedJvm.class, this.temp.resolve("jvm.log"), "1000")) {
			jvm.awaitOutput("PIDS ");
			for (long replica : pids(jvm.output())) {
				await().atMost(Duration.ofSeconds(10)).until(() -> Processes.groupMembers(replica).size() >= 2);
				tree.addAll(Processes.groupMembers(replica));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> guards(jvm.pid()).size() == 1);
			long first = guards(jvm.pid()).get(0);
			ProcessHandle.of(first).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> guards(jvm.pid()).size() == 1 && guards(jvm.pid()).get(0) != first);
			assertThat(jvm.output()).contains("WARN", "Orphan guard (pid " + first
					+ ") ended unexpectedly with signal SIGKILL; starting a new one watching 2 process group(s)");
			// The new guard alone takes the whole tree down with the JVM
			jvm.process().destroyForcibly();
			jvm.awaitExit(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(Processes::isAlive));
		}
		finally {
			Processes.kill(tree);
		}
	}

	@Test
	void guardThatKeepsEndingIsReplacedAfterAGrowingDelay() throws Exception {
		Process sleeper = new ProcessBuilder("setsid", "sleep", "1000").start();
		OrphanGuard guard = new OrphanGuard(Platform.current(false), Duration.ofMillis(100), this.scheduler);
		try {
			guard.watch(SignalTarget.group(sleeper.pid()));
			// The first death is replaced at once
			killGuard(guard);
			assertThat(guard.starts()).isEqualTo(2);
			assertThat(guard.pid()).isNotNull();
			// The second, soon after, only after half a second
			killGuard(guard);
			assertThat(guard.starts()).isEqualTo(2);
			assertThat(guard.pid()).isNull();
			assertThat(scheduledDelay()).isBetween(Duration.ofMillis(1), Duration.ofMillis(500));
			await().atMost(Duration.ofSeconds(5)).until(() -> guard.starts() == 3 && guard.pid() != null);
			// The third after a second
			killGuard(guard);
			assertThat(scheduledDelay()).isBetween(Duration.ofMillis(501), Duration.ofMillis(1000));
			await().atMost(Duration.ofSeconds(5)).until(() -> guard.starts() == 4 && guard.pid() != null);
			// The last one still knows the group
			guard.closeInputForTest();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Processes.isAlive(sleeper.pid()));
		}
		finally {
			guard.close();
			sleeper.destroyForcibly().waitFor();
		}
	}

	/**
	 * Kill the guard's process and wait until the guard dealt with its end.
	 */
	private static void killGuard(OrphanGuard guard) throws Exception {
		CompletableFuture<?> handled = guard.exitHandled();
		ProcessHandle.of(guard.pid()).orElseThrow().destroyForcibly();
		handled.get(5, TimeUnit.SECONDS);
	}

	private Duration scheduledDelay() {
		assertThat(this.scheduler.getQueue()).hasSize(1);
		return Duration.ofMillis(((Delayed) this.scheduler.getQueue().peek()).getDelay(TimeUnit.MILLISECONDS));
	}

	/**
	 * Return the orphan guards a JVM runs.
	 */
	private static List<Long> guards(long jvm) {
		return ProcessHandle.of(jvm)
			.map((handle) -> handle.children()
				.map(ProcessHandle::pid)
				.filter((pid) -> Processes.isAlive(pid)
						&& Processes.commandLine(pid).contains("supervisor-orphan-guard"))
				.toList())
			.orElse(List.of());
	}

	private static List<Long> pids(String output) {
		Matcher matcher = Pattern.compile("PIDS ([\\d ]+)").matcher(output);
		assertThat(matcher.find()).isTrue();
		return Arrays.stream(matcher.group(1).trim().split(" ")).map(Long::valueOf).toList();
	}

	/**
	 * Read the replica pids the supervised JVM prints on its {@code PIDS} line.
	 */
	private static List<Long> reportedReplicas(Process jvm) throws IOException {
		BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = output.readLine()) != null && !line.startsWith("PIDS ")) {
			// skip log lines
		}
		assertThat(line).as("supervised JVM reported its replicas").isNotNull();
		return Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).toList();
	}

}
