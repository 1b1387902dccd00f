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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.supervisor.process.ExitStatus;
import dev.supervisor.process.StopOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShutdownReport}'s text.
 *
 * @author the supervisor authors
 */
class ShutdownReportTests {

	private static final Instant BEGAN = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void aReplicaIsAskedWhenItsSignalWasSentNotWhenTheStopWasRequested() {
		StopOutcome outcome = new StopOutcome("w", 0, 42, BEGAN.plusMillis(1), false, BEGAN.plusMillis(30),
				BEGAN.plusMillis(30), BEGAN.plusMillis(50), null, new ExitStatus(143), Duration.ofMillis(49), List.of(),
				List.of());
		assertThat(report(List.of(outcome), 0).describe())
			.contains("worker 'w' replica 0 (pid 42): asked by signal at +30ms, gone after 49ms, signal SIGTERM");
	}

	@Test
	void processesFoundByTheMarkersAreNamed() {
		StopOutcome outcome = new StopOutcome("w", 1, 42, BEGAN, false, BEGAN.plusMillis(2), BEGAN.plusMillis(2),
				BEGAN.plusMillis(20), null, new ExitStatus(1), Duration.ofMillis(25), List.of(), List.of(4711L, 4712L));
		assertThat(report(List.of(outcome), 0).describe())
			.contains("worker 'w' replica 1 (pid 42): asked by signal at +2ms, gone after 25ms, exit code 1,"
					+ " found by its markers: pid 4711, pid 4712");
	}

	@Test
	void whatIsStillBeingStoppedIsSaidNotThatNoWorkerWasRunning() {
		assertThat(report(List.of(), 3).describe())
			.contains("3 replica process(es) still being stopped when the report was made")
			.doesNotContain("no worker was running");
		assertThat(report(List.of(), 0).describe()).contains("no worker was running");
	}

	private static ShutdownReport report(List<StopOutcome> outcomes, int unaccounted) {
		return new ShutdownReport(ShutdownReport.APPLICATION_SHUTDOWN, BEGAN, Duration.ofSeconds(5),
				Duration.ofMillis(100), outcomes, null, unaccounted);
	}

}
