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
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.supervisor.shutdown.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The log of a failed start tells the same story as the failure analysis: the failure
 * that decided is logged once at WARN, in the analysis's words; replicas stopped because
 * of it say so; replicas that ended on their own meanwhile are not said to be stopped.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureLogTests {

	private static final Pattern STOPPED_EXIT_CODE = Pattern
		.compile("Stopped worker 'fails' replica \\d+ \\(pid \\d+\\) in \\d+ms, exit code");

	private final TestSupervisors supervisors = new TestSupervisors();

	@TempDir
	Path dir;

	@AfterEach
	void close() {
		this.supervisors.close();
	}

	@Test
	void severalReplicasFailingAtStartTellTheStoryOfTheAnalysis(CapturedOutput output) throws Exception {
		Path go = this.dir.resolve("go");
		// Replica 0 fails at once; 1 and 2 exit on their own after it, while a child
		// keeps their output open; 3 runs until it is stopped
		Supervisor supervisor = this.supervisors.create(TestSupervisors.sh("fails", """
				case $SUPERVISOR_REPLICA in
				  0) echo 'cannot open model.bin' >&2; exit 1 ;;
				  3) exec sleep 1000 ;;
				esac
				sleep 1000 &
				while [ ! -e '%s' ]; do sleep 0.01; done
				exit 1
				""".formatted(go)).replicas(4).readiness(new Readiness.Uptime(Duration.ofSeconds(30))).build());
		StartupFailure failure = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> supervisor.start().get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(WorkerStartupException.class)
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(WorkerStartupException.class))
			.actual()
			.getFailure();
		assertThat(failure.replica()).isZero();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> supervisor.snapshot("fails").replicas().stream().skip(1).allMatch((r) -> r.pid() != null));
		List<Long> pids = supervisor.snapshot("fails").replicas().stream().map(ReplicaSnapshot::pid).toList();
		Files.createFile(go);
		// Reaped: the supervisor has seen them end, and still waits for their output
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !Files.exists(Path.of("/proc", pids.get(1).toString()))
					&& !Files.exists(Path.of("/proc", pids.get(2).toString())));
		// What the application does when its start failed
		supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get(20, TimeUnit.SECONDS);
		List<String> log = output.getOut().lines().filter((line) -> line.contains("orker 'fails' replica")).toList();
		assertThat(log).filteredOn((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.as(String.join("\n", log))
			.singleElement()
			.satisfies((line) -> assertThat(line).endsWith(failure.describe()));
		assertThat(failure.describe())
			.startsWith("Worker 'fails' replica 0 exited with exit code 1 before it was ready");
		assertThat(log).as(String.join("\n", log)).noneMatch((line) -> STOPPED_EXIT_CODE.matcher(line).find());
		for (int replica : List.of(1, 2)) {
			assertThat(log).as(String.join("\n", log))
				.anyMatch((line) -> line.contains(" INFO ") && line.contains("Worker 'fails' replica " + replica)
						&& line.contains("exited") && line.contains("with exit code 1 before it was ready")
						&& line.endsWith("because of worker 'fails' replica 0"));
		}
		assertThat(log).as(String.join("\n", log))
			.anyMatch((line) -> line.contains("Stopped worker 'fails' replica 3 (pid " + pids.get(3) + ")")
					&& line.endsWith(", the start failed because of worker 'fails' replica 0"));
	}

}
