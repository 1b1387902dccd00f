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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.supervisor.test.HttpWorker;
import dev.supervisor.test.TestWorker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for readiness checks and the replica's identity, with Java workers launched on
 * this JDK and class path.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadinessTests {

	private static final List<String> JVM = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

	private final TestSupervisors supervisors = new TestSupervisors();

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	@TempDir
	Path dir;

	@AfterEach
	void close() {
		this.supervisors.close();
		this.logging.setLogLevel(Replica.class.getName(), null);
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
	void httpProbeSpeaksPlainHttp11SoAServerThatRefusesUpgradesAnswersIt() throws Exception {
		Supervisor supervisor = this.supervisors.create(http("strict", Duration.ofSeconds(20)).build());
		supervisor.start().get(30, TimeUnit.SECONDS);
		ReplicaSnapshot replica = supervisor.find("strict").replicas().get(0);
		assertThat(replica.state()).isEqualTo(ReplicaState.READY);
		assertThat(replica.readiness().check()).isEqualTo("GET http://127.0.0.1:" + replica.port() + "/health");
		assertThat(replica.readiness().lastResult()).isEqualTo("HTTP 200");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> supervisor.find("strict")
				.replicas()
				.get(0)
				.lastLines()
				.contains("GET /health upgrade=false -> 200"));
		assertThat(supervisor.find("strict").replicas().get(0).lastLines())
			.noneMatch((line) -> line.contains("upgrade=true"));
	}

	@Test
	void httpProbeSucceedsAgainstUvicorn() throws Exception {
		String python = pythonWithUvicorn();
		Assumptions.assumeTrue(python != null,
				"uvicorn is not installed: python3 -c 'import uvicorn' failed (Debian: apt-get install python3-uvicorn)");
		Files.writeString(this.dir.resolve("app.py"),
				"""
						async def app(scope, receive, send):
						    if scope["type"] != "http":
						        return
						    await send({"type": "http.response.start", "status": 200, "headers": [[b"content-type", b"text/plain"]]})
						    await send({"type": "http.response.body", "body": b"ok"})
						""");
		Supervisor supervisor = this.supervisors.create(WorkerSpec
			.builder("uvicorn",
					List.of(python, "-m", "uvicorn", "--app-dir", this.dir.toString(), "--host", "127.0.0.1", "--port",
							ReplicaContext.PORT, "app:app"))
			.readiness(new Readiness.Http("http://127.0.0.1:" + ReplicaContext.PORT + "/health", Duration.ofMillis(50),
					Duration.ofSeconds(1)))
			.startupTimeout(Duration.ofSeconds(20))
			.build());
		supervisor.start().get(30, TimeUnit.SECONDS);
		ReplicaSnapshot replica = supervisor.find("uvicorn").replicas().get(0);
		assertThat(replica.readiness().lastResult()).isEqualTo("HTTP 200");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> supervisor.find("uvicorn")
				.replicas()
				.get(0)
				.lastLines()
				.stream()
				.anyMatch((line) -> line.contains("\"GET /health HTTP/1.1\" 200")));
		assertThat(supervisor.find("uvicorn").replicas().get(0).lastLines())
			.noneMatch((line) -> line.contains("Unsupported upgrade request"));
	}

	@Test
	void failedHttpProbeSaysWhatItSawInTheFailureTheSnapshotAndTheLogOncePerChange(CapturedOutput output) {
		this.logging.setLogLevel(Replica.class.getName(), LogLevel.DEBUG);
		Supervisor supervisor = this.supervisors
			.create(http("warming", Duration.ofSeconds(3), "503", "warming up:\n  loading model.bin").build());
		WorkerStartupException failed = startFails(supervisor);
		StartupFailure failure = failed.getFailure();
		int port = supervisor.find("warming").replicas().get(0).port();
		String check = "GET http://127.0.0.1:" + port + "/health";
		String result = "HTTP 503 \"warming up: loading model.bin\"";
		assertThat(failure.kind()).isEqualTo(StartupFailure.Kind.TIMED_OUT);
		assertThat(failure.readiness().check()).isEqualTo(check);
		assertThat(failure.readiness().lastResult()).isEqualTo(result);
		assertThat(failure.describe()).isEqualTo("Worker 'warming' replica 0 was not ready within its startup timeout"
				+ " of 3000ms; last readiness check: " + check + " -> " + result);
		assertThat(supervisor.find("warming").replicas().get(0).readiness().lastResult()).isEqualTo(result);
		String notReady = "Worker 'warming' replica 0 (pid " + failure.pid() + ") is not ready yet: " + check + " -> ";
		assertThat(lines(output, "INFO", notReady + result)).hasSize(1);
		assertThat(lines(output, "DEBUG", notReady + result)).hasSizeGreaterThan(1);
		assertThat(lines(output, "WARN", failure.describe())).hasSize(1);
	}

	@Test
	void tcpProbeOfAPortNobodyListensOnSaysConnectionRefused(CapturedOutput output) {
		this.logging.setLogLevel(Replica.class.getName(), LogLevel.DEBUG);
		int port = FreePort.find();
		Supervisor supervisor = this.supervisors.create(TestSupervisors.sh("deaf", "exec sleep 1000")
			.readiness(new Readiness.Tcp("127.0.0.1", port, Duration.ofMillis(20), Duration.ofSeconds(1)))
			.startupTimeout(Duration.ofMillis(800))
			.build());
		StartupFailure failure = startFails(supervisor).getFailure();
		String seen = "connect to 127.0.0.1:" + port + " -> connection refused";
		assertThat(failure.readiness().describe()).isEqualTo(seen);
		assertThat(failure.describe()).endsWith("; last readiness check: " + seen);
		String notReady = "Worker 'deaf' replica 0 (pid " + failure.pid() + ") is not ready yet: " + seen;
		assertThat(lines(output, "INFO", notReady)).hasSize(1);
		assertThat(lines(output, "DEBUG", notReady)).hasSizeGreaterThan(1);
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

	private static WorkerSpec.Builder http(String name, Duration startupTimeout, String... args) {
		return WorkerSpec.builder(name, JavaCommand.of(HttpWorker.class.getName(), JVM, List.of(args)))
			.readiness(new Readiness.Http("http://127.0.0.1:" + ReplicaContext.PORT + "/health", Duration.ofMillis(20),
					Duration.ofSeconds(1)))
			.startupTimeout(startupTimeout);
	}

	private static WorkerStartupException startFails(Supervisor supervisor) {
		return (WorkerStartupException) assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> supervisor.start().get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(WorkerStartupException.class)
			.actual();
	}

	private static List<String> lines(CapturedOutput output, String level, String text) {
		Pattern levelPattern = Pattern.compile("\\b" + level + "\\b");
		return output.getOut()
			.lines()
			.filter((line) -> line.contains(text) && levelPattern.matcher(line).find())
			.toList();
	}

	/**
	 * Return a Python that has uvicorn: the one on the path or the system's.
	 */
	private static @Nullable String pythonWithUvicorn() throws InterruptedException {
		for (String python : List.of("python3", "/usr/bin/python3")) {
			try {
				Process check = new ProcessBuilder(python, "-c", "import uvicorn")
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.redirectError(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!check.waitFor(20, TimeUnit.SECONDS)) {
					check.destroyForcibly().waitFor();
				}
				else if (check.exitValue() == 0) {
					return python;
				}
			}
			catch (IOException ex) {
				// No such program: try the next
			}
		}
		return null;
	}

	private static WorkerSpec.Builder java(String name, String... args) {
		return WorkerSpec.builder(name, JavaCommand.of(TestWorker.class.getName(), JVM, List.of(args)))
			.startupTimeout(Duration.ofSeconds(30));
	}

	private static String line(ReplicaSnapshot replica, String prefix) {
		return replica.lastLines().stream().filter((line) -> line.startsWith(prefix)).findFirst().orElseThrow();
	}

}
