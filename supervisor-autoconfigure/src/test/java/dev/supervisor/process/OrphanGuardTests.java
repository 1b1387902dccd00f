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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.supervisor.test.Processes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OrphanGuard}: replicas must not outlive a supervisor JVM that dies.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class OrphanGuardTests {

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
		OrphanGuard guard = new OrphanGuard(Platform.current(false), Duration.ofMillis(100));
		try {
			guard.watch(SignalTarget.group(sleeper.pid()));
			long guardPid = guard.pid();
			guard.unwatch(SignalTarget.group(sleeper.pid()));
			guard.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> !Processes.isAlive(guardPid));
			assertThat(sleeper.isAlive()).isTrue();
		}
		finally {
			guard.close();
			sleeper.destroyForcibly().waitFor();
		}
	}

	@Test
	void guardWhoseInputEndsStopsTheGroupsItWatches() throws Exception {
		Process sleeper = new ProcessBuilder("setsid", "sh", "-c", "sleep 1000 & wait").start();
		OrphanGuard guard = new OrphanGuard(Platform.current(false), Duration.ofMillis(100));
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
