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

import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's write operations are off until its access is raised.
 *
 * @author the supervisor authors
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "supervisor.workers.w.command=sleep,1000", "supervisor.workers.w.readiness.min-uptime=100ms",
				"management.endpoints.web.exposure.include=supervisor" })
@DirtiesContext
class SupervisorEndpointAccessTests {

	@LocalServerPort
	int port;

	@Test
	void readOnlyByDefault() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		URI group = URI.create("http://127.0.0.1:" + this.port + "/actuator/supervisor/w");
		HttpResponse<String> read = http.send(HttpRequest.newBuilder(group).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(200);
		HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(group + "/restart"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		// A write operation the access level does not allow is not mapped at all
		assertThat(write.statusCode()).isEqualTo(404);
		HttpResponse<String> after = http.send(HttpRequest.newBuilder(group).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(after.body()).contains("\"restarts\":0");
	}

}
