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

package dev.supervisor.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.supervisor.test.Processes;
import dev.supervisor.test.TestWorker;
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint's write operations and its picture of commands, on a real server with real
 * workers.
 *
 * @author the supervisor authors
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "supervisor.workers.slow.command=sh,-c,sleep 0.5; echo ready; exec sleep 1000",
				"supervisor.workers.slow.readiness.type=log", "supervisor.workers.slow.readiness.pattern=ready",
				"supervisor.workers.flaky.command=sleep,1000", "supervisor.workers.flaky.replicas=2",
				"supervisor.workers.flaky.readiness.min-uptime=100ms",
				"supervisor.workers.flaky.crash-loop.max-restarts=0",
				"supervisor.workers.flaky.on-give-up=keep-running",
				"supervisor.workers.javaw.java.main-class=dev.supervisor.test.TestWorker",
				"supervisor.workers.javaw.java.jvm-args=-Xmx16m,-XX:TieredStopAtLevel=1",
				"supervisor.workers.javaw.java.args=identity,${supervisor.replica.index}",
				"supervisor.workers.javaw.replicas=2", "supervisor.workers.javaw.readiness.min-uptime=100ms",
				"supervisor.max-replicas=5", "management.endpoints.web.exposure.include=health,supervisor",
				"management.endpoint.supervisor.access=unrestricted", "management.endpoint.health.show-details=always",
				"management.endpoint.health.show-components=always" })
@DirtiesContext
class SupervisorEndpointWriteTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void scaleAnswersOnceTheNewReplicasAreReady() throws Exception {
		DocumentContext scaled = json(post("/actuator/supervisor/slow/scale", "{\"replicas\": 2}"), 200);
		assertThat(scaled.read("$.ready", Integer.class)).isEqualTo(2);
		assertThat(scaled.read("$.replicas[1].state", String.class)).isEqualTo("READY");
		assertThat(scaled.read("$.replicas[1].readyAt", String.class)).isNotNull();
		DocumentContext back = json(post("/actuator/supervisor/slow/scale", "{\"replicas\": 1}"), 200);
		assertThat(back.read("$.replicas.length()", Integer.class)).isEqualTo(1);
	}

	@Test
	void scaleIsCappedByMaxReplicas() throws Exception {
		HttpResponse<String> refused = post("/actuator/supervisor/slow/scale", "{\"replicas\": 6}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(json(refused, 400).read("$.message", String.class))
			.isEqualTo("Worker 'slow' may run at most 5 replicas (supervisor.max-replicas); 6 were asked for");
		assertThat(json(get("/actuator/supervisor/slow"), 200).read("$.desired", Integer.class)).isEqualTo(1);
	}

	@Test
	void scalingAwayTheReplicaThatGaveUpMakesTheGroupHealthyAgain() throws Exception {
		long pid = json(get("/actuator/supervisor/flaky"), 200).read("$.replicas[1].pid", Long.class);
		Processes.kill(List.of(pid));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "FAILED".equals(json(get("/actuator/supervisor/flaky"), 200).read("$.state")));
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		DocumentContext scaled = json(post("/actuator/supervisor/flaky/scale", "{\"replicas\": 1}"), 200);
		assertThat(scaled.read("$.state", String.class)).isEqualTo("RUNNING");
		assertThat(scaled.read("$.desired", Integer.class)).isEqualTo(1);
		assertThat(scaled.read("$.ready", Integer.class)).isEqualTo(1);
		DocumentContext health = json(get("/actuator/health"), 200);
		assertThat(health.read("$.components.supervisor.status", String.class)).isEqualTo("UP");
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void bodiesThatCannotBeReadGetAMessageSayingWhatIsExpected() throws Exception {
		String expected = "for example {\"replicas\": 3} to scale";
		HttpResponse<String> malformed = post("/actuator/supervisor/slow/scale", "{replicas: 3");
		assertThat(json(malformed, 400).read("$.message", String.class))
			.startsWith("The request body is not a JSON object of the operation's parameters (")
			.contains(expected);
		HttpResponse<String> array = post("/actuator/supervisor/slow/scale", "[3]");
		assertThat(json(array, 400).read("$.message", String.class)).contains(expected);
		HttpResponse<String> word = post("/actuator/supervisor/slow/scale", "{\"replicas\": \"three\"}");
		assertThat(json(word, 400).read("$.message", String.class))
			.startsWith("The value 'three' of 'replicas' is not a whole number.")
			.contains(expected);
		HttpResponse<String> text = this.http.send(HttpRequest.newBuilder(uri("/actuator/supervisor/slow/scale"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("replicas=3"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(json(text, 415).read("$.message", String.class)).contains("text/plain").contains(expected);
		assertThat(json(get("/actuator/supervisor/slow"), 200).read("$.desired", Integer.class)).isEqualTo(1);
	}

	@Test
	void javaCommandsShowTheirClassPathOnceAndReplicasDoNotRepeatTheGroupsCommand() throws Exception {
		HttpResponse<String> all = get("/actuator/supervisor");
		DocumentContext javaw = json(get("/actuator/supervisor/javaw"), 200);
		List<String> classPath = javaw.read("$.java.classPath");
		assertThat(classPath).isNotEmpty();
		assertThat(javaw.read("$.java.mainClass", String.class)).isEqualTo(TestWorker.class.getName());
		List<String> jvmArgs = javaw.read("$.java.jvmArgs");
		assertThat(jvmArgs).containsExactly("-Xmx16m", "-XX:TieredStopAtLevel=1");
		List<String> args = javaw.read("$.java.args");
		assertThat(args).containsExactly("identity", "${supervisor.replica.index}");
		String shortened = "<class path: " + classPath.size() + ((classPath.size() != 1) ? " entries>" : " entry>");
		List<String> command = javaw.read("$.command");
		assertThat(command).contains("-cp", shortened, TestWorker.class.getName());
		// The replicas' commands differ from the group's by the resolved placeholder
		List<String> replicaCommand = javaw.read("$.replicas[1].command");
		assertThat(replicaCommand).contains(shortened).endsWith("identity", "1");
		// Every class path entry appears once in the whole answer, not once per replica
		String entry = classPath.get(0);
		assertThat(all.body().split(java.util.regex.Pattern.quote(entry), -1)).hasSize(2);
		DocumentContext slow = json(get("/actuator/supervisor/slow"), 200);
		assertThat(slow.read("$.java", Object.class)).isNull();
		List<String> slowCommand = slow.read("$.command");
		assertThat(slowCommand).contains("sh", "-c");
		assertThat(slow.read("$.replicas[0].command", Object.class)).isNull();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static DocumentContext json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JsonPath.parse(response.body());
	}

}
