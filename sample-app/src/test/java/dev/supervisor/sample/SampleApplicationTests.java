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

package dev.supervisor.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application in a test context, on a real server with its real workers.
 *
 * @author the supervisor authors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void openApiDocumentDoesNotMentionTheCancellationToken() throws Exception {
		String document = get("/v3/api-docs").body();
		assertThat(document).contains("/demo/slow", "\"seconds\"", "/demo/busy");
		assertThat(document).doesNotContainIgnoringCase("cancel").doesNotContainIgnoringCase("token");
	}

	@Test
	void prometheusShowsTheSupervisorsMeters() throws Exception {
		String scrape = get("/actuator/prometheus").body();
		assertThat(scrape).contains("supervisor_children_alive{worker=\"echo\"} 2.0",
				"supervisor_children_ready{worker=\"jobs\"} 1.0", "supervisor_children_desired{worker=\"echo\"} 2.0",
				"supervisor_child_startup_seconds_count{worker=\"echo\"} 2");
	}

	@Test
	void slowRequestCompletesWhenNothingShutsDown() throws Exception {
		HttpResponse<String> response = get("/demo/slow?seconds=1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"done\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
