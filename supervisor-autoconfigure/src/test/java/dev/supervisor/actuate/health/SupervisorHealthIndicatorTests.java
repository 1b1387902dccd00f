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

package dev.supervisor.actuate.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.supervisor.process.Backoff;
import dev.supervisor.process.CrashLoopLimit;
import dev.supervisor.process.GiveUpAction;
import dev.supervisor.process.Readiness;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorOptions;
import dev.supervisor.process.WorkerSpec;
import dev.supervisor.shutdown.Deadline;
import dev.supervisor.test.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SupervisorHealthIndicator} on real processes: starting, up, and down
 * once a group gave up.
 *
 * @author the supervisor authors
 */
class SupervisorHealthIndicatorTests {

	@TempDir
	Path dir;

	private Supervisor supervisor;

	@AfterEach
	void close() {
		if (this.supervisor != null) {
			this.supervisor.stop(Deadline.after(Duration.ofSeconds(5))).join();
			this.supervisor.close();
		}
	}

	@Test
	void outOfServiceWhileStartingThenUpThenDownWhenAGroupGivesUp() throws Exception {
		Path go = this.dir.resolve("go");
		Path crash = this.dir.resolve("crash");
		WorkerSpec spec = WorkerSpec
			.builder("model",
					List.of("sh", "-c",
							"if [ -e '" + crash + "' ]; then exit 1; fi; while [ ! -e '" + go
									+ "' ]; do sleep 0.05; done; echo ready; exec sleep 1000"))
			.readiness(new Readiness.LogLine(Pattern.compile("ready")))
			.backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), 1, 0))
			.crashLoop(new CrashLoopLimit(2, Duration.ofMinutes(1)))
			.onGiveUp(GiveUpAction.KEEP_RUNNING)
			.build();
		this.supervisor = new Supervisor(List.of(spec), SupervisorOptions.defaults());
		SupervisorHealthIndicator indicator = new SupervisorHealthIndicator(this.supervisor);
		this.supervisor.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.supervisor.snapshot("model").alive() == 1);
		Health starting = indicator.health(true);
		assertThat(starting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(details(starting)).containsEntry("state", "STARTING").containsEntry("ready", 0);
		Files.createFile(go);
		this.supervisor.start().get(10, TimeUnit.SECONDS);
		Health up = indicator.health(true);
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(details(up)).containsEntry("state", "RUNNING").containsEntry("ready", 1).containsEntry("desired", 1);
		Files.createFile(crash);
		Processes.kill(List.of(this.supervisor.snapshot("model").replicas().get(0).pid()));
		await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health(true).getStatus().equals(Status.DOWN));
		assertThat(details(indicator.health(true))).containsEntry("state", "FAILED");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health) {
		Map<String, Object> workers = (Map<String, Object>) health.getDetails().get("workers");
		return (Map<String, Object>) workers.get("model");
	}

}
