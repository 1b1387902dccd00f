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

package dev.supervisor.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;

import dev.supervisor.lifecycle.SupervisorStartupException;
import dev.supervisor.process.WorkerStartupException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerStartupFailureAnalyzer} with workers that really fail: secrets
 * masked in the command, and what a readiness check saw.
 *
 * @author the supervisor authors
 */
class WorkerStartupFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class));

	@Test
	void commandIsShownWithSecretsMaskedAsEverywhereElse() {
		this.runner
			.withPropertyValues("supervisor.workers.db.command=sh,-c,echo starting; exit 3,sh,--password=secret123,"
					+ "--url=postgres://app:hunter2@db/app,-p,short222")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasRootCauseInstanceOf(dev.supervisor.process.WorkerStartupException.class);
				Throwable failure = context.getStartupFailure();
				while (!(failure instanceof SupervisorStartupException) && failure.getCause() != null) {
					failure = failure.getCause();
				}
				FailureAnalysis analysis = new WorkerStartupFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains("Worker 'db' replica 0 exited with exit code 3")
					.contains("--password=******")
					.contains("--url=postgres://app:******@db/app")
					.doesNotContain("secret123")
					.doesNotContain("hunter2")
					// A short flag is not taken for a secret: -p is as often a port
					.contains("-p short222")
					.contains("starting");
				assertThat(String.valueOf(((SupervisorStartupException) failure).getFailure()))
					.doesNotContain("secret123");
			});
	}

	@Test
	void readinessCheckOnAPortNobodyListensOnIsExplained() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String w = "supervisor.workers.api.";
		this.runner
			.withPropertyValues(w + "command=sleep,1000", w + "readiness.type=tcp", w + "readiness.port=" + port,
					w + "readiness.interval=50ms", w + "startup-timeout=800ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WorkerStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith(
						"Worker 'api' replica 0 was not ready within its startup timeout of 800ms; last readiness check: "
								+ "connect to 127.0.0.1:" + port + " -> connection refused.");
				assertThat(analysis.getAction()).startsWith("Nothing accepted a connection")
					.contains("supervisor.workers.api.readiness")
					.contains("exits with code 3");
			});
	}

}
