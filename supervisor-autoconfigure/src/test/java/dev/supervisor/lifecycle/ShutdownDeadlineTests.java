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

package dev.supervisor.lifecycle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.supervisor.lifecycle.TestApplications.worker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One shutdown deadline for workers and web server, proven with SIGTERM on a real
 * application JVM, real workers and real requests.
 *
 * @author the supervisor authors
 */
class ShutdownDeadlineTests {

	private static final Duration EXIT = Duration.ofSeconds(60);

	/** Drains for 2 seconds when asked to stop. */
	private static final String DRAINS_2S = "trap 'sleep 2; exit 0' TERM; sleep 100000 & wait";

	/** Ignores SIGTERM, with its children. */
	private static final String IGNORES_TERM = "trap '' TERM; sleep 100000 & wait; while :; do sleep 1; done";

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void workersAndRequestsDrainConcurrentlySoShutdownTakesTheLongestDrainNotTheSum() throws Exception {
		try (TestJvm app = start(worker("drain", DRAINS_2S, 4))) {
			List<Long> workers = app.replicaPids("drain");
			assertThat(workers).hasSize(4);
			CompletableFuture<HttpResponse<String>> request = get(app, "/work?millis=2000");
			app.awaitOutput("request /work started");
			long sigterm = System.nanoTime();
			app.process().destroy();
			int exitCode = app.awaitExit(EXIT);
			Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
			assertThat(exitCode).isEqualTo(143);
			assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			// Each drain takes 2s; one after the other they would take 4s
			assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
			assertThat(workers).noneMatch(Processes::isAlive);
			assertThat(app.output()).contains("Shutting down: workers and requests have 30000ms")
				.contains("Stopped worker 'drain' replica 3")
				.doesNotContain("still running after timeout");
		}
	}

	@Test
	void workersIgnoringTermAndRequestsOutlastingTheDeadlineAreCutAtTheDeadline() throws Exception {
		Map<String, String> settings = worker("deaf", IGNORES_TERM, 2);
		settings.put("supervisor.shutdown.timeout", "3s");
		try (TestJvm app = start(settings)) {
			List<Long> workers = app.replicaPids("deaf");
			List<Long> tree = new ArrayList<>();
			workers.forEach((pid) -> tree.addAll(Processes.groupMembers(pid)));
			assertThat(tree).hasSizeGreaterThanOrEqualTo(4);
			CompletableFuture<HttpResponse<String>> request = get(app, "/work?millis=20000");
			app.awaitOutput("request /work started");
			long sigterm = System.nanoTime();
			app.process().destroy();
			app.awaitExit(EXIT);
			Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
			assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofMillis(4500));
			assertThat(tree).noneMatch(Processes::isAlive);
			assertThat(request).failsWithin(Duration.ofSeconds(10));
			assertThat(app.output()).contains("killed with SIGKILL at its stop deadline");
		}
	}

	@Test
	void requestsPollingTheTokenGet503AtOnceWhileOthersCompleteAndCallbacksRunOnce() throws Exception {
		try (TestJvm app = start(new LinkedHashMap<>())) {
			assertRequestsAreCancelled(app);
		}
	}

	@Test
	void tokenWorksWithVirtualThreads() throws Exception {
		Path java = TestJvm.jdk(21);
		Assumptions.assumeTrue(java != null, "virtual threads need a JDK 21 or later on this machine");
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.threads.virtual.enabled", "true");
		try (TestJvm app = start(java, settings)) {
			assertRequestsAreCancelled(app);
			assertThat(app.output()).contains("request /slow started on VirtualThread");
		}
	}

	private void assertRequestsAreCancelled(TestJvm app) throws Exception {
		post(app, "/on-shutdown?message=kept");
		post(app, "/on-shutdown?message=dropped&unregister=true");
		Map<String, CompletableFuture<HttpResponse<String>>> cancelled = new LinkedHashMap<>();
		for (String path : List.of("/slow", "/slow-callable", "/slow-future", "/slow-deferred")) {
			cancelled.put(path, get(app, path + "?seconds=30"));
			app.awaitOutput("request " + path + " started");
		}
		CompletableFuture<HttpResponse<String>> ownMapping = get(app, "/slow-own-mapping?seconds=30");
		app.awaitOutput("request /slow-own-mapping started");
		CompletableFuture<HttpResponse<String>> plain = get(app, "/work?millis=1500");
		app.awaitOutput("request /work started");
		long sigterm = System.nanoTime();
		app.process().destroy();
		for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> entry : cancelled.entrySet()) {
			HttpResponse<String> response = entry.getValue().get(10, TimeUnit.SECONDS);
			Duration after = Duration.ofNanos(System.nanoTime() - sigterm);
			assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(503);
			assertThat(after).as(entry.getKey() + " answered soon after SIGTERM").isLessThan(Duration.ofSeconds(2));
			assertThat(response.headers().firstValue("Retry-After"))
				.hasValueSatisfying((retryAfter) -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 30));
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(response.body()).contains("\"status\":503", "\"title\":\"Service Unavailable\"",
					"\"instance\":\"" + entry.getKey() + "\"");
		}
		HttpResponse<String> mapped = ownMapping.get(10, TimeUnit.SECONDS);
		assertThat(mapped.statusCode()).as("the application's own mapping wins").isEqualTo(410);
		assertThat(mapped.body()).contains("by the application");
		HttpResponse<String> completed = plain.get(10, TimeUnit.SECONDS);
		assertThat(completed.statusCode()).isEqualTo(200);
		assertThat(completed.body()).contains("done");
		app.awaitExit(EXIT);
		assertThat(app.output().split("on-shutdown callback: kept", -1)).hasSize(2);
		assertThat(app.output()).doesNotContain("on-shutdown callback: dropped");
	}

	private TestJvm start(Map<String, String> settings) throws Exception {
		return start(null, settings);
	}

	private TestJvm start(Path java, Map<String, String> settings) throws Exception {
		return TestApplications.start(java, this.dir.resolve("out.log"), settings);
	}

	private CompletableFuture<HttpResponse<String>> get(TestJvm app, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private void post(TestJvm app, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
	}

}
