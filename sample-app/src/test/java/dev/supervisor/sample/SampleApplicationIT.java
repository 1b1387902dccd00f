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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.process.JavaCommand;
import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged sample application as a user would.
 *
 * @author the supervisor authors
 */
class SampleApplicationIT {

	private static final Pattern PID = Pattern.compile("pid (\\d+)");

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void supervisesItsWorkersAndCtrlCStopsEverything() throws Exception {
		// In a process group of its own, the way a shell runs a foreground job
		List<String> command = List.of("setsid", JavaCommand.javaExecutable().toString(), "-Xmx256m", "-jar",
				System.getProperty("sample.jar"), "--server.port=0", "--supervisor.workers.extra.command=sleep,1000");
		try (TestJvm app = TestJvm.start(command, this.dir.resolve("out.log"))) {
			app.awaitOutput("Started SampleApplication");
			assertThat(app.output()).contains("Worker 'echo' replica 0", "Worker 'echo' replica 1",
					"Worker 'jobs' replica 0", "[jobs-0 pid ", "job runner ready");
			String echo = get(app, "/demo/echo?message=hi");
			assertThat(echo).contains("hi (from echo-0)", "hi (from echo-1)");
			String workers = get(app, "/demo/workers");
			assertThat(workers).contains("\"extra\"");
			List<Long> pids = new ArrayList<>();
			Matcher matcher = PID.matcher(workers);
			while (matcher.find()) {
				pids.add(Long.valueOf(matcher.group(1)));
			}
			assertThat(pids).hasSize(4).allMatch(Processes::isAlive);
			app.signalGroup("INT");
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(130);
			assertThat(pids).noneMatch(Processes::isAlive);
			assertThat(app.output()).contains("finishing the current job", "job runner stopped");
		}
	}

	private String get(TestJvm app, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
