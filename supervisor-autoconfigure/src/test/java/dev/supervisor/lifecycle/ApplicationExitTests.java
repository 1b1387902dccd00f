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

package dev.supervisor.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.supervisor.test.TestJvm;
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exit codes of a real application JVM whose workers fail.
 *
 * @author the supervisor authors
 */
class ApplicationExitTests {

	private static final Duration EXIT = Duration.ofSeconds(90);

	@TempDir
	Path dir;

	@Test
	void workerThatDiesBeforeReadyFailsStartupWithExitCode3AndIsSpawnedOnce() throws Exception {
		Path spawns = this.dir.resolve("spawns");
		try (TestJvm app = TestJvm.start(TestApplication.class, this.dir.resolve("out.log"),
				"--spring.main.web-application-type=none", "--supervisor.workers.model.command[0]=sh",
				"--supervisor.workers.model.command[1]=-c", "--supervisor.workers.model.command[2]=echo spawned >> '"
						+ spawns + "'; echo loading model; echo 'cannot open model.bin' >&2; exit 2")) {
			assertThat(app.awaitExit(EXIT)).as(app.output()).isEqualTo(3);
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Worker 'model' replica 0 exited with exit code 2 before it was ready")
				.contains("loading model")
				.contains("cannot open model.bin")
				.contains("A worker that fails while the application starts is not restarted");
			assertThat(Files.readAllLines(spawns)).containsExactly("spawned");
		}
	}

	@Test
	void groupThatGivesUpWhileTheApplicationStartsFailsTheStartWithAnAnalysisAndExitCode4() throws Exception {
		String w = "--supervisor.workers.flaky.";
		try (TestJvm app = TestJvm.start(TestApplication.class, this.dir.resolve("out.log"),
				"--spring.main.web-application-type=none", w + "command[0]=sh", w + "command[1]=-c",
				w + "command[2]=echo ready; echo 'lost the database' >&2; sleep 0.2; exit 1", w + "readiness.type=log",
				w + "readiness.pattern=ready", w + "backoff.initial=10ms", w + "crash-loop.max-restarts=2",
				// Still starting when the other group gives up
				"--supervisor.workers.slow.command=sleep,1000", "--supervisor.workers.slow.readiness.min-uptime=50s")) {
			assertThat(app.awaitExit(EXIT)).as(app.output()).isEqualTo(4);
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Worker 'flaky' gave up while the application was starting: replica 0 was restarted 2 times"
						+ " within 60s and failed again (exit code 1)")
				.contains("How its processes ended (at most 2 restarts within 60s):")
				.containsPattern("pid \\d+: exit code 1 \\(crashed\\)")
				.contains("lost the database")
				.contains("supervisor.workers.flaky.crash-loop.max-restarts")
				.contains("the application exits with code 4")
				.containsPattern("Stopped worker 'slow' replica 0 \\(pid \\d+\\) in \\d+ms, signal SIGTERM, the start"
						+ " failed because of worker 'flaky' replica 0")
				// Spring's one line about any exception of a lifecycle, but no stack
				// trace
				.doesNotContain("InterruptedException")
				.doesNotContainPattern("\\n\\s+at [a-z]")
				.doesNotContain("Shutting the application down");
		}
	}

	@Test
	void groupThatGivesUpAfterStartupShutsTheApplicationDownWithExitCode4() throws Exception {
		Path ran = this.dir.resolve("ran");
		String w = "--supervisor.workers.flaky.";
		try (TestJvm app = TestJvm.start(TestApplication.class, this.dir.resolve("out.log"),
				"--spring.main.web-application-type=none", w + "command[0]=sh", w + "command[1]=-c",
				w + "command[2]=if [ -e '" + ran + "' ]; then exit 1; fi; touch '" + ran
						+ "'; echo ready; sleep 0.5; exit 1",
				w + "readiness.type=log", w + "readiness.pattern=ready", w + "backoff.initial=10ms",
				w + "crash-loop.max-restarts=2", "--supervisor.workers.steady.command=sleep,1000",
				"--supervisor.workers.steady.readiness.min-uptime=100ms")) {
			assertThat(app.awaitExit(EXIT)).as(app.output()).isEqualTo(4);
			assertThat(app.output()).contains("Worker 'flaky' gave up")
				.contains("Shutting the application down with exit code 4")
				.contains("Stopped worker 'steady' replica 0");
		}
	}

}
