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
import java.time.Instant;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint shows what a replica's readiness probe checks and what it last saw.
 *
 * @author the supervisor authors
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "supervisor.workers.api.java.main-class=dev.supervisor.test.HttpWorker",
				"supervisor.workers.api.java.jvm-args=-Xmx32m,-XX:TieredStopAtLevel=1",
				"supervisor.workers.api.readiness.type=http",
				"supervisor.workers.api.readiness.url=http://127.0.0.1:${supervisor.replica.port}/health",
				"supervisor.workers.api.readiness.interval=50ms", "supervisor.workers.sleeper.command=sleep,1000",
				"supervisor.workers.sleeper.readiness.min-uptime=100ms",
				"management.endpoints.web.exposure.include=supervisor" })
@DirtiesContext
class SupervisorEndpointReadinessTests {

	@LocalServerPort
	int port;

	@Test
	void replicaEntryShowsItsReadinessCheckAndItsLastResult() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/supervisor")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		int replicaPort = json.read("$.workers.api.replicas[0].port", Integer.class);
		assertThat(json.read("$.workers.api.replicas[0].readiness.check", String.class))
			.isEqualTo("GET http://127.0.0.1:" + replicaPort + "/health");
		assertThat(json.read("$.workers.api.replicas[0].readiness.lastResult", String.class)).isEqualTo("HTTP 200");
		assertThat(Instant.parse(json.read("$.workers.api.replicas[0].readiness.at", String.class)))
			.isBeforeOrEqualTo(Instant.now());
		// Nothing to show for a replica without a probe
		assertThat(json.read("$.workers.sleeper.replicas[0].readiness", Object.class)).isNull();
	}

}
