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

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Posix}: on a JDK that grants native access, replicas are spawned by
 * {@code posix_spawn} straight into sessions of their own and signalled by
 * {@code kill(2)}, and everything else stays the same. The supervisor runs in a JVM of
 * JDK 22 or later found on this machine (the tests' own, if it is one), so that the build
 * on Java 17 proves the direct path too; without such a JDK these tests are skipped. Run
 * on JDK 22 or later, the whole suite takes the direct path as well.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class NativeAccessTests {

	private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

	/**
	 * Why {@link Posix} is unavailable when the machine, not the JVM, lacks something.
	 */
	private static final String[] PLATFORM_LIMITS = { "the C library is not", "not a 64-bit architecture",
			"not Linux" };

	@TempDir
	Path temp;

	@Test
	void replicasAreSpawnedIntoSessionsOfTheirOwnAndStoppedThroughTheLadder() throws Exception {
		List<Long> tree = new ArrayList<>();
		try (TestJvm jvm = supervisedJvm(true)) {
			assertThat(jvm.output()).contains("SPAWN posix_spawn");
			for (long replica : replicas(jvm)) {
				assertThat(Processes.sessionOf(replica)).as("session of %d", replica).isEqualTo(replica);
				assertThat(Processes.groupOf(replica)).as("group of %d", replica).isEqualTo(replica);
				// Standard input from /dev/null, output to the pipe, nothing of the JVM's
				assertThat(Processes.descriptors(replica)).containsOnlyKeys(0, 1, 2).containsEntry(0, "/dev/null");
				assertThat(Processes.descriptors(replica).get(1)).startsWith("pipe:");
				await().atMost(Duration.ofSeconds(10)).until(() -> Processes.groupMembers(replica).size() >= 2);
				tree.addAll(Processes.groupMembers(replica));
			}
			// Their readiness is a line of output: it came through the pipe
			try (OutputStream input = jvm.process().getOutputStream()) {
				input.write("stop\n".getBytes(StandardCharsets.US_ASCII));
			}
			assertThat(jvm.awaitExit(Duration.ofSeconds(30))).isZero();
			// SIGTERM by kill(2) ends the family; the deaf one is killed at the deadline
			assertThat(jvm.output()).contains("STOPPED family status signal SIGTERM killed false")
				.contains("STOPPED deaf status signal SIGKILL killed true")
				.doesNotContain("leftovers [1")
				.contains("DONE");
			assertThat(tree).noneMatch(Processes::isAlive);
		}
		finally {
			Processes.kill(tree);
		}
	}

	@Test
	void nothingSurvivesASigkillOfTheJvm() throws Exception {
		List<Long> tree = new ArrayList<>();
		try (TestJvm jvm = supervisedJvm(true)) {
			for (long replica : replicas(jvm)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> Processes.groupMembers(replica).size() >= 2);
				tree.addAll(Processes.groupMembers(replica));
			}
			jvm.process().destroyForcibly();
			jvm.awaitExit(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(Processes::isAlive));
		}
		finally {
			Processes.kill(tree);
		}
	}

	@Test
	void withoutNativeAccessTheJdkStartsReplicasAndTheJvmPrintsNoWarning() throws Exception {
		assertStartedThroughSetsid(supervisedJvm(false), "native access is not enabled");
	}

	@Test
	void theOptionTurnsTheDirectPathOffEvenWithNativeAccess() throws Exception {
		assertStartedThroughSetsid(supervisedJvm(true, "-Dsupervisor.native-access=false"),
				"native access is turned off");
	}

	@Test
	void onJdk22OrLaterTheBuildGrantsNativeAccessSoEveryTestTakesTheDirectPath() {
		assumeThat(Runtime.version().feature()).as("the JDK running the tests").isGreaterThanOrEqualTo(22);
		assumeThat(String.valueOf(Posix.unavailableReason())).as("this machine's C library and architecture")
			.doesNotContain(PLATFORM_LIMITS);
		assertThat(Posix.available()).as("%s", Posix.unavailableReason()).isNotNull();
	}

	private void assertStartedThroughSetsid(TestJvm started, String reason) {
		List<Long> replicas = new ArrayList<>();
		try (TestJvm jvm = started) {
			replicas.addAll(replicas(jvm));
			assertThat(jvm.output()).contains("SPAWN setsid (" + reason).doesNotContain("WARNING");
			assertThat(replicas).allMatch((replica) -> Processes.sessionOf(replica) == replica);
		}
		finally {
			replicas.forEach((replica) -> Processes.kill(Processes.groupMembers(replica)));
		}
	}

	private TestJvm supervisedJvm(boolean nativeAccess, String... properties) throws Exception {
		Path java = TestJvm.jdk(22);
		assumeThat(java).as("a JDK 22 or later on this machine").isNotNull();
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
		jvmArgs.addAll(List.of(properties));
		if (nativeAccess) {
			jvmArgs.add(NATIVE_ACCESS);
		}
		List<String> command = new ArrayList<>(JavaCommand.of(SupervisedJvm.class.getName(), jvmArgs, List.of("500")));
		command.set(0, java.toString());
		TestJvm jvm = TestJvm.start(command, this.temp.resolve("jvm.log"));
		try {
			jvm.awaitOutput("PIDS ");
			// Native access granted, posix_spawn may still be missing from the C library
			assumeThat(jvm.output()).as("posix_spawn usable on this machine").doesNotContain(PLATFORM_LIMITS);
			return jvm;
		}
		catch (RuntimeException | Error ex) {
			jvm.close();
			throw ex;
		}
	}

	private static List<Long> replicas(TestJvm jvm) {
		Matcher pids = Pattern.compile("PIDS ([\\d ]+)").matcher(jvm.output());
		assertThat(pids.find()).isTrue();
		return Arrays.stream(pids.group(1).trim().split(" ")).map(Long::valueOf).toList();
	}

}
