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

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker output goes to a logger per replica, so that the default log pattern shows which
 * replica printed a line, while levels set for the worker apply to all of them.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerOutputLoggingTests {

	private final TestSupervisors supervisors = new TestSupervisors();

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	@AfterEach
	void close() {
		this.supervisors.close();
		this.logging.setLogLevel("supervisor.worker.quiet", null);
	}

	@Test
	void eachLineIsLoggedUnderItsWorkerAndReplica(CapturedOutput output) throws Exception {
		Supervisor supervisor = this.supervisors
			.create(TestSupervisors.sh("talk", "echo \"hello from $SUPERVISOR_REPLICA\"; exec sleep 1000")
				.replicas(2)
				.readiness(new Readiness.LogLine(Pattern.compile("hello")))
				.build());
		supervisor.start().get(20, TimeUnit.SECONDS);
		for (int replica = 0; replica < 2; replica++) {
			String logger = "supervisor.worker.talk." + replica;
			String text = "hello from " + replica;
			await().atMost(Duration.ofSeconds(5))
				.until(() -> output.getOut().lines().anyMatch((line) -> line.contains(logger) && line.endsWith(text)));
		}
	}

	@Test
	void theWorkersLevelAppliesToEveryReplica(CapturedOutput output) throws Exception {
		this.logging.setLogLevel("supervisor.worker.quiet", LogLevel.WARN);
		Supervisor supervisor = this.supervisors.create(
				TestSupervisors.sh("quiet", "echo whisper-7a; exec sleep 1000")
					.replicas(2)
					.readiness(new Readiness.LogLine(Pattern.compile("whisper")))
					.build(),
				TestSupervisors.sh("loud", "echo shout-7a; exec sleep 1000")
					.readiness(new Readiness.LogLine(Pattern.compile("shout")))
					.build());
		supervisor.start().get(20, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> output.getOut().contains("supervisor.worker.loud.0") && output.getOut().contains("shout-7a"));
		assertThat(supervisor.find("quiet").replicas())
			.allSatisfy((replica) -> assertThat(replica.lastLines()).contains("whisper-7a"));
		assertThat(output.getOut()).doesNotContain("whisper-7a");
	}

}
