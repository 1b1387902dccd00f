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
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application run with other workers than its own (its configuration file is
 * not read): the echo check stays quiet instead of failing every 30 seconds.
 *
 * @author the supervisor authors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=no-such-configuration", "supervisor.workers.other.command=sleep,1000",
				"supervisor.workers.other.readiness.min-uptime=100ms" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationWithoutEchoTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	EchoCheck check;

	@Test
	void echoCheckHasNothingToDoAndSaysSoOnce(CapturedOutput output) throws Exception {
		this.check.check();
		this.check.check();
		assertThat(output).containsOnlyOnce("No 'echo' workers run; the echo check has nothing to do")
			.doesNotContain("ERROR");
		HttpResponse<String> echo = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/demo/echo")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(echo.statusCode()).isEqualTo(503);
		assertThat(echo.body()).contains("no worker 'echo' is configured");
		HttpResponse<String> workers = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/demo/workers")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(workers.body()).contains("\"other\"").doesNotContain("echo");
	}

}
