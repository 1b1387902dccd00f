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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.supervisor.test.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.supervisor.process.TestSupervisors.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LeftoverSweep} on real processes: it signals only the processes it
 * proved to be leftovers, each alone, and leaves alone what it cannot prove.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(OutputCaptureExtension.class)
class LeftoverSweepTests {

	private static final Duration START = Duration.ofSeconds(20);

	private static final int NOBODY = 65534;

	private final TestSupervisors supervisors = new TestSupervisors();

	private final List<Long> started = new ArrayList<>();

	@AfterEach
	void close() {
		this.supervisors.close();
		List<Long> all = new ArrayList<>(this.started);
		this.started.forEach((pid) -> all.addAll(Processes.groupMembers(pid)));
		Processes.kill(all);
	}

	@Test
	void onlyTheMarkedProcessIsStoppedNeverTheOthersInItsGroupNorAProcessOfAnotherUser(CapturedOutput output)
			throws Exception {
		assumeThat(uid(ProcessHandle.current().pid())).as("running as root, to start a process of nobody").isZero();
		assumeThat(Path.of("/usr/bin/setpriv")).as("setpriv").isExecutable();
		String identity = "sweep-test-" + UUID.randomUUID();
		// A leftover that leads its group; in that group a process without the marker
		// and one that dropped to another user, both started by it
		long leader = launch(marked(identity, ownerThatIsGone()), "sh", "-c",
				"env -u SUPERVISOR_APP -u SUPERVISOR_OWNER sleep 100201 & " + "setpriv --reuid=" + NOBODY + " --regid="
						+ NOBODY + " --clear-groups sleep 100202 & " + "exec sleep 100200");
		await().atMost(START).until(() -> member(leader, "sleep 100201") > 0 && member(leader, "sleep 100202") > 0);
		long unmarked = member(leader, "sleep 100201");
		long otherUser = member(leader, "sleep 100202");
		assertThat(uid(otherUser)).isEqualTo(NOBODY);
		assertThat(Processes.groupOf(otherUser)).isEqualTo(leader);
		Supervisor supervisor = this.supervisors.create((options) -> options.withIdentity(identity),
				sh("fresh", "exec sleep 1000").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		assertThat(output).contains("Stopped leftover pid " + leader + " of worker 'gone' in ");
		assertThat(Processes.isAlive(leader)).isFalse();
		assertThat(Processes.isAlive(unmarked)).as("a process without the marker in the leftover's group").isTrue();
		assertThat(Processes.isAlive(otherUser)).as("a process of nobody in the leftover's group").isTrue();
	}

	@Test
	void anOwnerMarkerThatDoesNotParseIsNoProofTheOwnerIsGone(CapturedOutput output) throws Exception {
		String identity = "sweep-test-" + UUID.randomUUID();
		long garbage = launch(Map.of("SUPERVISOR_APP", identity, "SUPERVISOR_OWNER", "garbage"), "sleep", "100203");
		// A pid that no process can have, without a start time
		long pidOnly = launch(Map.of("SUPERVISOR_APP", identity, "SUPERVISOR_OWNER", "4194304"), "sleep", "100204");
		long gone = launch(marked(identity, ownerThatIsGone()), "sleep", "100205");
		Supervisor supervisor = this.supervisors.create((options) -> options.withIdentity(identity),
				sh("fresh", "exec sleep 1000").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		assertThat(Processes.isAlive(gone)).as("a leftover whose owner is provably gone").isFalse();
		assertThat(Processes.isAlive(garbage)).isTrue();
		assertThat(Processes.isAlive(pidOnly)).isTrue();
		assertThat(output).contains("Left 2 process(es) marked as '" + identity + "' alone")
			.contains("pid " + garbage + " (owner 'garbage', ")
			.contains("pid " + pidOnly + " (owner '4194304', ")
			.doesNotContain("leftover pid " + garbage)
			.doesNotContain("leftover pid " + pidOnly);
	}

	/**
	 * Return the markers of a replica of worker 'gone' started by the given owner.
	 */
	private static Map<String, String> marked(String identity, String owner) {
		return Map.of("SUPERVISOR_APP", identity, "SUPERVISOR_OWNER", owner, "SUPERVISOR_WORKER", "gone",
				"SUPERVISOR_REPLICA", "0");
	}

	/**
	 * Return an owner marker that names no live process: this JVM's pid with another
	 * start time.
	 */
	private static String ownerThatIsGone() {
		long self = ProcessHandle.current().pid();
		return self + ":" + (Processes.startTime(self) + 1);
	}

	/**
	 * Start a process in a session and group of its own.
	 */
	private long launch(Map<String, String> environment, String... command) throws IOException {
		List<String> argv = new ArrayList<>(List.of("setsid"));
		argv.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD);
		builder.environment().putAll(environment);
		long pid = builder.start().pid();
		this.started.add(pid);
		return pid;
	}

	private static long member(long group, String commandLine) {
		return Processes.groupMembers(group)
			.stream()
			.filter((pid) -> Processes.commandLine(pid).equals(commandLine))
			.findFirst()
			.orElse(-1L);
	}

	private static int uid(long pid) throws IOException {
		return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(pid)), "unix:uid");
	}

}
