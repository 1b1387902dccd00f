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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A start that fails after its process was spawned (say, the JDK cannot create the thread
 * that watches a new child, under a limit on processes and threads) must not leave that
 * process running: it is found and stopped through the ladder before the failure is
 * reported, and the shutdown still completes.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class SpawnFailureTests {

	@TempDir
	Path temp;

	@Test
	void processWhoseStartFailsAfterTheSpawnIsStoppedAndTheApplicationExitsWithCode3() throws Exception {
		assertStartFailsCleanly(null, List.of());
	}

	@Test
	void processWhoseStartFailsAfterPosixSpawnIsStoppedAndTheApplicationExitsWithCode3() throws Exception {
		Path java = TestJvm.jdk(22);
		assumeThat(java).as("a JDK 22 or later on this machine").isNotNull();
		assertStartFailsCleanly(java, List.of("--enable-native-access=ALL-UNNAMED"));
	}

	/**
	 * Start an application whose replica starts fail right after the spawn (the failure
	 * is injected there; the process and everything else is real).
	 */
	private void assertStartFailsCleanly(@Nullable Path java, List<String> jvmArgs) throws Exception {
		String run = UUID.randomUUID().toString();
		String w = "--supervisor.workers.sleeper.";
		List<String> args = List.of("--spring.main.web-application-type=none", w + "command[0]=sh", w + "command[1]=-c",
				w + "command[2]=sleep 1000 & exec sleep 1001", w + "environment.TEST_RUN=" + run, w + "stop-timeout=5s",
				"--logging.level.dev.supervisor.process=debug");
		List<String> command = new ArrayList<>(JavaCommand.of(FailingSpawnApplication.class.getName(),
				concat(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), jvmArgs), args));
		if (java != null) {
			command.set(0, java.toString());
		}
		try (TestJvm app = TestJvm.start(command, this.temp.resolve("app.log"))) {
			assertThat(app.awaitExit(Duration.ofSeconds(90))).as(app.output()).isEqualTo(3);
			if (java != null) {
				assumeThat(app.output()).as("posix_spawn usable on this machine")
					.contains("Replicas are started by posix_spawn");
			}
			// Stopped before the failure was reported, grandchild and all
			assertThat(Processes.withEnvironment("TEST_RUN=" + run)).isEmpty();
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("was started, but its start failed afterwards")
				.contains("Worker 'sleeper' replica 0 could not be started: java.lang.OutOfMemoryError: "
						+ "unable to create native thread: injected right after the spawn");
		}
		finally {
			Processes.kill(Processes.withEnvironment("TEST_RUN=" + run));
		}
	}

	@Test
	void underALimitOnThreadsAReplicaThatCannotBeStartedLeavesNoProcessAndShutdownCompletes() throws Exception {
		PidsCgroup cgroup = PidsCgroup.create();
		assumeThat(cgroup).as("a pids cgroup this test may create").isNotNull();
		String run = UUID.randomUUID().toString();
		// A stable number of threads: no GC workers, no compiler threads coming and going
		List<String> java = JavaCommand.of(PidsLimitJvm.class.getName(), List.of("-Xmx64m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-XX:-UseDynamicNumberOfCompilerThreads"), List.of(run));
		List<String> command = new ArrayList<>(List.of("sh", "-c",
				"echo $$ > \"$1/cgroup.procs\" && shift && exec \"$@\"", "sh", cgroup.directory().toString()));
		command.addAll(java);
		try (cgroup; TestJvm jvm = TestJvm.start(command, this.temp.resolve("jvm.log"))) {
			jvm.awaitOutput("PIDS ");
			// No spare pid: not even the thread to read the output can be created. One:
			// that thread is, the fork fails. Two: the fork succeeds, and the JDK cannot
			// create the thread that watches the child
			String[] failures = { "no thread could be created to read its output", "Cannot run program",
					"java.lang.OutOfMemoryError: unable to create native thread" };
			for (int spare = 0; spare < failures.length; spare++) {
				cgroup.limit(cgroup.current() + spare);
				send(jvm, "scale 2");
				int failed = spare + 1;
				awaitOutput(jvm,
						() -> count(jvm.output(), "Worker 'sleeper' replica 1 could not be started") == failed);
				// Nothing of replica 1 runs: what was started was stopped
				assertThat(replicas(run, 1)).isEmpty();
				cgroup.limit(-1);
				send(jvm, "scale 1");
				int scaledDown = spare + 1;
				awaitOutput(jvm, () -> count(jvm.output(), "Scaled worker 'sleeper' from 2 to 1") == scaledDown);
			}
			// Each attempt failed at another step, the last one after the fork
			for (String failure : failures) {
				assertThat(jvm.output()).contains("Worker 'sleeper' replica 1 could not be started: " + failure);
			}
			assertThat(jvm.output()).contains("Worker 'sleeper' replica 1 (pid ")
				.contains("was started, but its start failed afterwards");
			assertThat(replicas(run, 0)).hasSize(1);
			send(jvm, "stop");
			assertThat(jvm.awaitExit(Duration.ofSeconds(30))).isZero();
			assertThat(jvm.output()).contains("DONE").doesNotContain("could not all be stopped");
			assertThat(Processes.withEnvironment("TEST_RUN=" + run)).isEmpty();
		}
		finally {
			Processes.kill(Processes.withEnvironment("TEST_RUN=" + run));
		}
	}

	/**
	 * Wait for the JVM to say something, failing with all it said if it does not or ends
	 * first.
	 */
	private static void awaitOutput(TestJvm jvm, java.util.concurrent.Callable<Boolean> said) {
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> said.call() || !jvm.process().isAlive());
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			throw new AssertionError("Not said within 30s; the JVM said:\n" + jvm.output(), ex);
		}
		try {
			assertThat(said.call()).as("The JVM ended first; it said:%n%s", jvm.output()).isTrue();
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static List<Long> replicas(String run, int index) {
		return Processes.withEnvironment("TEST_RUN=" + run)
			.stream()
			.filter((pid) -> ("\0" + Processes.environment(pid)).contains("\0SUPERVISOR_REPLICA=" + index + "\0"))
			.toList();
	}

	private static void send(TestJvm jvm, String line) throws IOException {
		OutputStream input = jvm.process().getOutputStream();
		input.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
		input.flush();
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	/**
	 * A cgroup of its own with a {@code pids.max} this test sets: Linux's way to limit
	 * the processes and threads of a group of processes (as a container runtime does),
	 * which also binds root, unlike {@code RLIMIT_NPROC}.
	 */
	private record PidsCgroup(Path directory) implements AutoCloseable {

		static @Nullable PidsCgroup create() {
			for (Path parent : List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup"))) {
				Path directory = parent.resolve("supervisor-test-" + ProcessHandle.current().pid());
				try {
					Files.createDirectory(directory);
					if (Files.isWritable(directory.resolve("pids.max"))) {
						return new PidsCgroup(directory);
					}
					Files.delete(directory);
				}
				catch (IOException | RuntimeException ex) {
					// Not here, or not ours to change
				}
			}
			return null;
		}

		long current() throws IOException {
			return Long.parseLong(Files.readString(this.directory.resolve("pids.current")).trim());
		}

		/**
		 * Set the limit.
		 * @param max the most processes and threads, or -1 for no limit
		 */
		void limit(long max) throws IOException {
			Files.writeString(this.directory.resolve("pids.max"), (max < 0) ? "max" : Long.toString(max));
		}

		/**
		 * Kill whatever still runs in the group, and remove it.
		 */
		@Override
		public void close() throws IOException {
			limit(-1);
			for (String pid : Files.readAllLines(this.directory.resolve("cgroup.procs"))) {
				ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> current() == 0);
			Files.delete(this.directory);
		}

	}

}
