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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.supervisor.test.TestWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for readiness checks and the replica's identity, with Java workers launched on
 * this JDK and class path.
 *
 * @author the supervisor authors
 */
class ReadinessTests {

	private static final List<String> JVM = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

	private final TestSupervisors supervisors = new TestSupervisors();

	@AfterEach
	void close() {
		this.supervisors.close();
	}

	@Test
	void tcpReadinessIsRecordedWhenThePortAcceptsConnections() throws Exception {
		Supervisor supervisor = this.supervisors.create(java("tcp", "tcp", "300")
			.readiness(new Readiness.Tcp("127.0.0.1", 0, Duration.ofMillis(20), Duration.ofSeconds(1)))
			.build());
		supervisor.start().get(30, TimeUnit.SECONDS);
		// The probe may connect before the line saying so has been read
		await().atMost(Duration.ofSeconds(5))
			.until(() -> supervisor.find("tcp")
				.replicas()
				.get(0)
				.lastLines()
				.stream()
				.anyMatch((line) -> line.startsWith("bound at ")));
		ReplicaSnapshot replica = supervisor.find("tcp").replicas().get(0);
		Instant bound = Instant.ofEpochMilli(Long.parseLong(line(replica, "bound at ").substring(9)));
		assertThat(replica.port()).isPositive();
		assertThat(replica.readyAt()).isAfterOrEqualTo(bound).isBefore(bound.plusSeconds(1));
	}

	@Test
	void httpReadinessWaitsForA2xxAnswer() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(java("http", "http", "2")
				.readiness(new Readiness.Http("http://127.0.0.1:" + ReplicaContext.PORT + "/health",
						Duration.ofMillis(20), Duration.ofSeconds(1)))
				.build());
		supervisor.start().get(30, TimeUnit.SECONDS);
		ReplicaSnapshot replica = supervisor.find("http").replicas().get(0);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> supervisor.find("http")
				.replicas()
				.get(0)
				.lastLines()
				.stream()
				.anyMatch((line) -> line.startsWith("health 200")));
		List<String> answers = supervisor.find("http").replicas().get(0).lastLines();
		assertThat(answers).filteredOn((line) -> line.startsWith("health")).hasSize(3);
		Instant ok = Instant.ofEpochMilli(
				Long.parseLong(line(supervisor.find("http").replicas().get(0), "health 200 at ").substring(14)));
		assertThat(replica.readyAt()).isAfterOrEqualTo(ok).isBefore(ok.plusSeconds(1));
	}

	@Test
	void replicasLearnTheirNameIndexAndPortFromEnvironmentAndPlaceholders() throws Exception {
		Supervisor supervisor = this.supervisors.create(
				java("named", "identity", ReplicaContext.NAME, ReplicaContext.INDEX, ReplicaContext.PORT).replicas(2)
					.port(23400)
					.environment(Map.of("CUSTOM", "replica-" + ReplicaContext.INDEX))
					.readiness(new Readiness.LogLine(java.util.regex.Pattern.compile("worker=")))
					.build());
		supervisor.start().get(30, TimeUnit.SECONDS);
		List<ReplicaSnapshot> replicas = supervisor.find("named").replicas();
		assertThat(line(replicas.get(0), "worker="))
			.isEqualTo("worker=named replica=0 port=23400 args=named,0,23400 custom=replica-0");
		assertThat(line(replicas.get(1), "worker="))
			.isEqualTo("worker=named replica=1 port=23401 args=named,1,23401 custom=replica-1");
	}

	private static WorkerSpec.Builder java(String name, String... args) {
		return WorkerSpec.builder(name, JavaCommand.of(TestWorker.class.getName(), JVM, List.of(args)))
			.startupTimeout(Duration.ofSeconds(30));
	}

	private static String line(ReplicaSnapshot replica, String prefix) {
		return replica.lastLines().stream().filter((line) -> line.startsWith(prefix)).findFirst().orElseThrow();
	}

}
