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
import java.util.concurrent.TimeUnit;

import dev.supervisor.autoconfigure.SupervisedWorkerAutoConfiguration;
import dev.supervisor.process.JavaCommand;
import dev.supervisor.process.Readiness;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.StopOutcome;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorOptions;
import dev.supervisor.process.WorkerSpec;
import dev.supervisor.shutdown.Deadline;
import dev.supervisor.testapp.TestApplication;
import dev.supervisor.worker.SupervisorConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with the starter, run as a worker: ready when the application
 * is, stopped by STOP, with no code of its own.
 *
 * @author the supervisor authors
 */
class SupervisedApplicationTests {

	@Test
	void springBootWorkerIsReadyAtApplicationReadyAndClosesOnStop() throws Exception {
		WorkerSpec spec = WorkerSpec
			.builder("boot",
					JavaCommand.of(TestApplication.class.getName(), List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"),
							// Without a web server, keep-alive keeps the worker up after
							// its start
							List.of("--spring.main.web-application-type=none", "--spring.main.keep-alive=true")))
			.readiness(new Readiness.Notify())
			.startupTimeout(Duration.ofSeconds(90))
			.build();
		try (Supervisor supervisor = new Supervisor(List.of(spec), SupervisorOptions.defaults())) {
			supervisor.start().get(90, TimeUnit.SECONDS);
			ReplicaSnapshot replica = supervisor.find("boot").replicas().get(0);
			String started = replica.lastLines()
				.stream()
				.filter((line) -> line.contains("Started TestApplication"))
				.findFirst()
				.orElseThrow();
			Instant logged = Instant.parse(started.substring(0, started.indexOf(' ')));
			assertThat(replica.readyAt()).isAfterOrEqualTo(logged).isBefore(logged.plusSeconds(2));
			List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(30)))
				.get(60, TimeUnit.SECONDS);
			assertThat(outcomes).singleElement().satisfies((outcome) -> {
				assertThat(outcome.stopMessage()).isTrue();
				assertThat(outcome.signalledAt()).isNull();
				assertThat(outcome.status().code()).isZero();
			});
			assertThat(supervisor.find("boot").replicas().get(0).lastLines())
				.anyMatch((line) -> line.contains("Closing the application: its supervisor asked it to stop"));
		}
	}

	@Test
	void nothingActivatesOutsideASupervisor() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SupervisedWorkerAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SupervisorConnection.class)
				.doesNotHaveBean(SupervisedApplication.class));
	}

}
