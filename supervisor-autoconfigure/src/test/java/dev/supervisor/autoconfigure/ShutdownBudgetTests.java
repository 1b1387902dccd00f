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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShutdownBudget}: conflicting shutdown budgets are reported at startup
 * with their numbers.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownBudgetTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class));

	@Test
	void defaultsFitTogether(CapturedOutput output) {
		this.runner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("ShutdownBudget");
	}

	@Test
	void perPhaseTimeoutShorterThanTheDeadlineIsReported(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s", "supervisor.shutdown.timeout=30s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output)
			.contains("spring.lifecycle.timeout-per-shutdown-phase (10s) is shorter than"
					+ " supervisor.shutdown.timeout (30s)")
			.contains("Set spring.lifecycle.timeout-per-shutdown-phase to at least 30s");
	}

	@Test
	void workerStopTimeoutLongerThanTheDeadlineIsReported(CapturedOutput output) {
		this.runner
			.withPropertyValues("supervisor.shutdown.timeout=10s", "supervisor.workers.slow.command=sleep,1000",
					"supervisor.workers.slow.stop-timeout=45s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("supervisor.workers.slow.stop-timeout (45s) is longer than"
				+ " supervisor.shutdown.timeout (10s): at shutdown worker 'slow' is killed after 10s");
	}

	@Test
	void deadlineThatLeavesNoRoomBelowTheGracePeriodIsReported(CapturedOutput output) {
		this.runner.withPropertyValues("supervisor.shutdown.timeout=30s", "supervisor.shutdown.grace-period=30s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("supervisor.shutdown.timeout (30s) leaves no room below the grace period (30s)")
			.contains("Lower supervisor.shutdown.timeout to at most 29s");
	}

	@Test
	void deadlineBelowTheGracePeriodFits(CapturedOutput output) {
		this.runner.withPropertyValues("supervisor.shutdown.timeout=25s", "supervisor.shutdown.grace-period=30s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("grace period");
	}

	@Test
	void drainDelayThatLeavesNothingOfTheDeadlineIsReported(CapturedOutput output) {
		this.runner.withPropertyValues("supervisor.shutdown.timeout=10s", "supervisor.shutdown.drain-delay=12s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("supervisor.shutdown.drain-delay (12s) leaves nothing of"
				+ " supervisor.shutdown.timeout (10s) to drain requests and workers in");
	}

	@Test
	void drainDelayInsideTheDeadlineFits(CapturedOutput output) {
		this.runner.withPropertyValues("supervisor.shutdown.timeout=10s", "supervisor.shutdown.drain-delay=3s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("drain-delay");
	}

	@Test
	void negativeDrainDelayIsRefused() {
		this.runner.withPropertyValues("supervisor.shutdown.drain-delay=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("supervisor.shutdown.drain-delay"));
		});
	}

	@Test
	void conflictsCanFailTheStart() {
		this.runner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s", "supervisor.shutdown.timeout=30s",
					"supervisor.shutdown.budget-check=fail")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("spring.lifecycle.timeout-per-shutdown-phase");
						assertThat(ex.getReason()).contains("(10s) is shorter than supervisor.shutdown.timeout (30s)");
					});
			});
	}

	@Test
	void checkCanBeTurnedOff(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s", "supervisor.shutdown.timeout=30s",
					"supervisor.shutdown.budget-check=off")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("is shorter than");
	}

}
