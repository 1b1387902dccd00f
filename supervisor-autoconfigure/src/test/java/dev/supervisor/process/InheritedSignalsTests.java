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

/**
 * Tests for {@link InheritedSignals}: a JVM started with signals ignored (as by
 * {@code cmd &} in a script) starts its replicas with default dispositions and nothing
 * blocked, so a {@code stop-signal: INT} stops them at once, whichever way they are
 * spawned.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class InheritedSignalsTests {

	/** Ignore SIGINT and SIGHUP, then run the command: ignored signals survive exec. */
	private static final List<String> IGNORING = List.of("sh", "-c", "trap '' INT HUP; exec \"$@\"", "sh");

	@TempDir
	Path temp;

	@Test
	void replicaOfAJvmIgnoringIntAndHupStartsWithDefaultsThroughSetsid() throws Exception {
		assertReplicaStartsWithDefaults(JavaCommand.javaExecutable(), List.of(), "setsid");
	}

	@Test
	void replicaOfAJvmIgnoringIntAndHupStartsWithDefaultsThroughPosixSpawn() throws Exception {
		Path java = TestJvm.jdk(22);
		assumeThat(java).as("a JDK 22 or later on this machine").isNotNull();
		assertReplicaStartsWithDefaults(java, List.of("--enable-native-access=ALL-UNNAMED"), "posix_spawn");
	}

	@Test
	void namesTheSignalsOfAMask() {
		assertThat(InheritedSignals.names(0x3L)).containsExactly("SIGHUP", "SIGINT");
		// glibc's own real-time signals, ignored in every child of a JVM, are left alone
		assertThat(InheritedSignals.names(0x180004000L)).containsExactly("SIGTERM");
	}

	private void assertReplicaStartsWithDefaults(Path java, List<String> jvmArgs, String spawn) throws Exception {
		List<String> command = new ArrayList<>(IGNORING);
		List<String> jvm = new ArrayList<>(JavaCommand.of(IgnoredSignalsJvm.class.getName(),
				concat(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), jvmArgs), List.of()));
		jvm.set(0, java.toString());
		command.addAll(jvm);
		long replica = -1;
		try (TestJvm supervisor = TestJvm.start(command, this.temp.resolve("jvm.log"))) {
			supervisor.awaitOutput("PIDS ");
			if (spawn.equals("posix_spawn")) {
				assumeThat(supervisor.output()).as("posix_spawn usable on this machine").contains("SPAWN posix_spawn");
			}
			assertThat(supervisor.output()).contains("SPAWN " + spawn);
			// The supervising JVM does ignore them: what the replica must not inherit
			assertThat(status(supervisor.pid(), "SigIgn") & 0x3L).as("SIGHUP and SIGINT ignored by the JVM")
				.isEqualTo(0x3L);
			replica = pid(supervisor.output());
			assertThat(Processes.commandLine(replica)).isEqualTo("sleep 600");
			assertThat(InheritedSignals.names(status(replica, "SigIgn"))).as("signals the replica ignores").isEmpty();
			assertThat(status(replica, "SigBlk")).as("signals the replica blocks").isZero();
			try (OutputStream input = supervisor.process().getOutputStream()) {
				input.write("stop\n".getBytes(StandardCharsets.US_ASCII));
			}
			// Stopped by SIGINT itself, not killed at the deadline 20 seconds later
			supervisor.awaitOutput("DONE");
			assertThat(supervisor.output()).contains("STOPPED status signal SIGINT killed false");
		}
		finally {
			if (replica > 0) {
				Processes.kill(List.of(replica));
			}
		}
	}

	private static long status(long pid, String field) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith(field + ":")) {
				return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
			}
		}
		throw new IllegalStateException("No " + field + " for " + pid);
	}

	private static long pid(String output) {
		Matcher matcher = Pattern.compile("PIDS (\\d+)").matcher(output);
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

}
