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

import dev.supervisor.process.Supervisor;
import dev.supervisor.shutdown.CancellationToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application with its supervisor turned off: it starts, its demo endpoints
 * say that no workers run, the token still works, and the echo check stays quiet.
 *
 * @author the supervisor authors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "supervisor.enabled=false")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationWithoutWorkersTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void startsAndItsEndpointsSayNoWorkersRun() throws Exception {
		assertThat(this.context.getBeanProvider(Supervisor.class).getIfAvailable()).isNull();
		assertThat(this.context.getBean(CancellationToken.class).isCancellationRequested()).isFalse();
		HttpResponse<String> workers = get("/demo/workers");
		assertThat(workers.statusCode()).isEqualTo(200);
		assertThat(workers.body()).contains("No workers run: the supervisor is turned off (supervisor.enabled=false)");
		HttpResponse<String> echo = get("/demo/echo?message=hi");
		assertThat(echo.statusCode()).isEqualTo(503);
		assertThat(echo.body()).contains("No workers run");
		HttpResponse<String> slow = get("/demo/slow?seconds=1");
		assertThat(slow.statusCode()).isEqualTo(200);
		assertThat(slow.body()).contains("\"status\":\"done\"");
	}

	@Test
	void echoCheckHasNothingToDoAndSaysSoOnce(CapturedOutput output) throws Exception {
		EchoCheck check = this.context.getBean(EchoCheck.class);
		check.check();
		check.check();
		assertThat(output).containsOnlyOnce("No 'echo' workers run; the echo check has nothing to do")
			.doesNotContain("ERROR");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
