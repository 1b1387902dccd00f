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

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.supervisor.lifecycle.TestApplications.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An explainable, fault-proof shutdown and startup, on real application JVMs, real
 * workers and real requests: budgets that fit, the drain delay, the shutdown report,
 * leftovers of a crashed run and cancellation of scheduled jobs.
 *
 * @author the supervisor authors
 */
class ExplainableShutdownTests {

	private static final Duration EXIT = Duration.ofSeconds(60);

	/** Exits at once when asked to stop. */
	private static final String POLITE = "trap 'exit 0' TERM; sleep 100000 & wait";

	/** Ignores SIGTERM, with its children. */
	private static final String DEAF = "trap '' TERM; sleep 100000 & wait; while :; do sleep 1; done";

	private final List<Process> started = new ArrayList<>();

	private final List<String> markers = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void killWhatIsLeft() {
		this.started.forEach(Process::destroyForcibly);
		this.markers.forEach((marker) -> Processes.kill(Processes.withEnvironment(marker)));
	}

	@Test
	void conflictingBudgetsFailTheStartWithTheirNumbersBeforeAnyWorkerStarts() throws Exception {
		Map<String, String> settings = worker("polite", "echo worker was started; " + POLITE, 1);
		settings.put("supervisor.shutdown.timeout", "5s");
		settings.put("supervisor.shutdown.drain-delay", "8s");
		settings.put("supervisor.shutdown.budget-check", "fail");
		try (TestJvm app = TestApplications.launch(null, this.dir.resolve("out.log"), settings)) {
			assertThat(app.awaitExit(EXIT)).isNotZero();
			assertThat(app.output())
				.contains("supervisor.shutdown.drain-delay (8s) leaves nothing of supervisor.shutdown.timeout (5s)")
				.doesNotContain("worker was started");
		}
	}

	@Test
	void drainDelayKeepsServingAfterReadinessFlipsThenRefusesInsideTheBudget() throws Exception {
		Map<String, String> settings = worker("polite", POLITE, 1);
		settings.put("supervisor.shutdown.timeout", "10s");
		settings.put("supervisor.shutdown.drain-delay", "3s");
		settings.put("management.endpoint.health.probes.enabled", "true");
		settings.put("management.endpoints.web.exposure.include", "health");
		try (TestJvm app = start(settings)) {
			long worker = app.replicaPids("polite").get(0);
			assertThat(send(app, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			// Keeps the web server draining once it stops accepting, so that refusal
			// shows
			CompletableFuture<HttpResponse<String>> inFlight = sendAsync(app, "/work?millis=5000");
			app.awaitOutput("request /work started");
			long sigterm = System.nanoTime();
			app.process().destroy();
			app.awaitOutput("Refusing traffic; still serving for 3000ms");
			assertThat(send(app, "/actuator/health/readiness").statusCode()).isEqualTo(503);
			HttpResponse<String> served = send(app, "/work?millis=0");
			Duration servedAfter = since(sigterm);
			assertThat(served.statusCode()).isEqualTo(200);
			assertThat(servedAfter).isLessThan(Duration.ofSeconds(3));
			assertThat(Processes.isAlive(worker)).as("workers keep running during the delay").isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(app));
			assertThat(since(sigterm)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
			assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			app.awaitExit(EXIT);
			assertThat(since(sigterm)).isLessThan(Duration.ofSeconds(10));
			assertThat(Processes.isAlive(worker)).isFalse();
			assertThat(app.output()).containsPattern("Stop report \\(application shutdown\\): took \\d+ms of a"
					+ " 10000ms budget, \\d+ms left\\R  web server: drained after \\d+ms");
		}
	}

	@Test
	void reportNamesTheReplicaThatHitTheDeadlineAndWasKilledSlowestFirst() throws Exception {
		Map<String, String> settings = worker("deaf", DEAF, 1);
		settings.putAll(worker("polite", POLITE, 2));
		settings.put("supervisor.shutdown.timeout", "2s");
		try (TestJvm app = start(settings)) {
			long deaf = app.replicaPids("deaf").get(0);
			List<Long> polite = app.replicaPids("polite");
			app.process().destroy();
			app.awaitExit(EXIT);
			String output = app.output();
			assertThat(output)
				.containsPattern("Stop report \\(application shutdown\\): took \\d+ms of a 2000ms budget");
			Matcher killed = Pattern
				.compile("worker 'deaf' replica 0 \\(pid " + deaf + "\\): asked by signal at \\+\\d+ms,"
						+ " KILLED at its deadline after (\\d+)ms, signal SIGKILL")
				.matcher(output);
			assertThat(killed.find()).as(output).isTrue();
			assertThat(Long.parseLong(killed.group(1))).isBetween(1500L, 3000L);
			for (int replica = 0; replica < 2; replica++) {
				String line = "worker 'polite' replica " + replica + " (pid " + polite.get(replica) + ")";
				assertThat(output).containsPattern(
						Pattern.quote(line) + ": asked by signal at \\+\\d+ms," + " gone after \\d+ms, exit code 0");
				assertThat(output.indexOf(line + ": asked by")).as("slowest first").isGreaterThan(killed.start());
			}
		}
	}

	@Test
	void reportWaitsForTheLadderWhenTheStopEndsWellAfterTheDeadline() throws Exception {
		Map<String, String> settings = worker("deaf", DEAF, 1);
		settings.put("supervisor.shutdown.timeout", "1s");
		// The stop completes 1.5s after the kill at the deadline, past the report's
		// margin for the web server
		settings.put("testapp.slow-exit-listener", "1500ms");
		try (TestJvm app = start(settings)) {
			long deaf = app.replicaPids("deaf").get(0);
			app.process().destroy();
			app.awaitExit(EXIT);
			String output = app.output();
			assertThat(output).contains("slow listener handling an exit")
				.containsPattern("Stop report \\(application shutdown\\): took \\d+ms of a 1000ms budget")
				.containsPattern("worker 'deaf' replica 0 \\(pid " + deaf + "\\): asked by signal at \\+\\d+ms,"
						+ " KILLED at its deadline after \\d+ms, signal SIGKILL")
				.doesNotContain("no worker was running");
		}
	}

	@Test
	void leftoverOfASigkilledRunIsStoppedAtTheNextStartAndOtherProcessesAreLeftAlone() throws Exception {
		String identity = "leftover-test-" + UUID.randomUUID();
		this.markers.add("SUPERVISOR_APP=" + identity);
		// The worker leaves behind a process that escaped its group and ignores SIGTERM
		Map<String, String> settings = worker("escaper",
				"setsid sh -c 'trap \"\" TERM INT HUP; echo escaped as $$; exec sleep 100123' & wait", 1);
		settings.put("supervisor.leftovers.identity", identity);
		// A live application's stop ladder takes its escaped descendants, too, at the
		// deadline
		settings.put("supervisor.workers.escaper.stop-timeout", "1s");
		settings.put("supervisor.orphan-guard.grace-period", "500ms");
		long escaped;
		try (TestJvm previous = start(settings, "previous.log")) {
			escaped = escapedPid(previous.awaitOutput("escaped as"));
			long worker = previous.replicaPids("escaper").get(0);
			previous.process().destroyForcibly();
			previous.awaitExit(EXIT);

			await().atMost(Duration.ofSeconds(10)).until(() -> !Processes.isAlive(worker));
		}
		assertThat(Processes.isAlive(escaped)).as("the escaped process survived the crash").isTrue();
		// Look alike but are not ours to stop
		long owner = ProcessHandle.current().pid();
		long noMarker = launch(Map.of());
		long otherApplication = launch(Map.of("SUPERVISOR_APP", "another-" + identity, "SUPERVISOR_OWNER", "1:1"));
		long liveOwner = launch(
				Map.of("SUPERVISOR_APP", identity, "SUPERVISOR_OWNER", owner + ":" + Processes.startTime(owner)));
		try (TestJvm next = start(settings, "next.log")) {
			// It ignores SIGTERM, so the ladder ends with SIGKILL
			next.awaitOutput("Stopped leftover pid " + escaped + " of worker 'escaper' in ");
			assertThat(next.output()).containsPattern(
					"Stopped leftover pid " + escaped + " of worker 'escaper' in \\d+ms, killed with SIGKILL");
			assertThat(next.output()).contains("Found 1 process(es) left behind by an earlier run of '" + identity
					+ "': pid " + escaped + " (worker 'escaper' replica 0, ");
			assertThat(next.output().indexOf("Stopped leftover pid " + escaped))
				.as("leftovers are stopped before new workers start")
				.isLessThan(next.output().indexOf("Started worker 'escaper' replica 0"));
			assertThat(Processes.isAlive(escaped)).isFalse();
			assertThat(List.of(noMarker, otherApplication, liveOwner)).allMatch(Processes::isAlive);
			next.process().destroy();
			next.awaitExit(EXIT);
			// Its own escaped process goes at the worker's stop timeout, and the report
			// says so
			Matcher report = Pattern
				.compile("worker 'escaper' replica 0 \\(pid \\d+\\): asked by signal at \\+\\d+ms, exited after"
						+ " \\d+ms but its descendants were KILLED at its deadline after (\\d+)ms, signal SIGTERM")
				.matcher(next.output());
			assertThat(report.find()).as(next.output()).isTrue();
			assertThat(Long.parseLong(report.group(1))).as("the worker's stop timeout of 1s, not the 30s deadline")
				.isBetween(900L, 10_000L);

		}
	}

	@Test
	void scheduledJobHoldingTheTokenStopsAtShutdown() throws Exception {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("testapp.scheduled-job", "true");
		try (TestJvm app = start(settings)) {
			app.awaitOutput("scheduled job started");
			long sigterm = System.nanoTime();
			app.process().destroy();
			app.awaitExit(EXIT);
			assertThat(since(sigterm)).isLessThan(Duration.ofSeconds(10));
			assertThat(app.output()).containsPattern("scheduled job stopped by the token after \\d+ attempts")
				.doesNotContain("InterruptedException")
				.doesNotContain("ran its full minute");
		}
	}

	private long launch(Map<String, String> environment) throws IOException {
		ProcessBuilder builder = new ProcessBuilder("setsid", "sleep", "100123");
		builder.environment().putAll(environment);
		Process process = builder.start();
		this.started.add(process);
		return process.pid();
	}

	private static long escapedPid(TestJvm app) {
		Matcher matcher = Pattern.compile("escaped as (\\d+)").matcher(app.output());
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static boolean refusesConnections(TestJvm app) {
		try (Socket socket = new Socket("127.0.0.1", app.port())) {
			return !socket.isConnected();
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Duration since(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

	private TestJvm start(Map<String, String> settings) throws Exception {
		return start(settings, "out.log");
	}

	private TestJvm start(Map<String, String> settings, String log) throws Exception {
		return TestApplications.start(null, this.dir.resolve(log), settings);
	}

	/** A new client for every request: no pooled connection hides a refusal. */
	private static HttpResponse<String> send(TestJvm app, String path) throws Exception {
		return sendAsync(app, path).get(10, TimeUnit.SECONDS);
	}

	private static CompletableFuture<HttpResponse<String>> sendAsync(TestJvm app, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build();
		return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

}
