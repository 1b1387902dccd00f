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

import dev.supervisor.lifecycle.SupervisorStartupException;
import dev.supervisor.process.WorkerStartupException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerStartupFailureAnalyzer} with a worker that really fails.
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

}
