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
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker group with {@code health: optional} shows in the health details but never
 * takes readiness down; a required one does.
 *
 * @author the supervisor authors
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "supervisor.workers.extra.command=sleep,1000", "supervisor.workers.extra.health=optional",
				"supervisor.workers.core.command=sleep,1000", "supervisor.workers.extra.readiness.min-uptime=100ms",
				"supervisor.workers.core.readiness.min-uptime=100ms",
				"supervisor.workers.extra.crash-loop.max-restarts=0",
				"supervisor.workers.core.crash-loop.max-restarts=0", "supervisor.workers.extra.on-give-up=keep-running",
				"supervisor.workers.core.on-give-up=keep-running",
				"management.endpoints.web.exposure.include=health,supervisor",
				"management.endpoint.health.show-details=always", "management.endpoint.health.show-components=always" })
@DirtiesContext
class OptionalWorkerHealthTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void optionalGroupThatGaveUpLeavesReadinessUpAndARequiredOneTakesItDown() throws Exception {
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		giveUp("extra");
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
		DocumentContext health = json(get("/actuator/health"), 200);
		assertThat(health.read("$.components.supervisor.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.supervisor.details.workers.extra.state", String.class))
			.isEqualTo("FAILED");
		assertThat(health.read("$.components.supervisor.details.workers.extra.health", String.class))
			.isEqualTo("optional");
		giveUp("core");
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		assertThat(json(get("/actuator/health"), 503).read("$.components.supervisor.status", String.class))
			.isEqualTo("DOWN");
	}

	private void giveUp(String worker) throws Exception {
		long pid = json(get("/actuator/supervisor/" + worker), 200).read("$.replicas[0].pid", Long.class);
		Processes.kill(List.of(pid));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "FAILED".equals(json(get("/actuator/supervisor/" + worker), 200).read("$.state")));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static DocumentContext json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JsonPath.parse(response.body());
	}

}
