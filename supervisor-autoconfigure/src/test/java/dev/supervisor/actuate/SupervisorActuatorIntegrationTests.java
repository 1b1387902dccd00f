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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.supervisor.lifecycle.ShutdownReport;
import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.test.Processes;
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;

import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The actuator side on a real server with real workers: endpoint, health, meters and
 * events.
 *
 * @author the supervisor authors
 */
@SpringBootTest(classes = { TestApplication.class, SupervisorActuatorIntegrationTests.Events.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "supervisor.workers.web.command=sh,-c,exec sleep 1000 # --password=hunter2",
				"supervisor.workers.web.replicas=2", "supervisor.workers.web.readiness.min-uptime=100ms",
				"supervisor.workers.web.environment.API_SECRET=s3cret", "supervisor.workers.web.environment.MODE=fast",
				"supervisor.workers.web.backoff.initial=10ms", "supervisor.workers.web.crash-loop.max-restarts=50",
				"management.endpoints.web.exposure.include=health,metrics,supervisor",
				"management.endpoint.supervisor.access=unrestricted", "management.endpoint.health.show-details=always",
				"management.endpoint.health.show-components=always" })
@DirtiesContext
class SupervisorActuatorIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	Events events;

	@Autowired
	HealthEndpointGroups groups;

	@Test
	void endpointDescribesEveryGroupAndReplicaWithSecretsMasked() throws Exception {
		DocumentContext json = json(get("/actuator/supervisor"), 200);
		assertThat(json.read("$.workers.web.state", String.class)).isEqualTo("RUNNING");
		assertThat(json.read("$.workers.web.desired", Integer.class)).isEqualTo(2);
		assertThat(json.read("$.workers.web.ready", Integer.class)).isEqualTo(2);
		assertThat(json.read("$.workers.web.alive", Integer.class)).isEqualTo(2);
		Map<String, Object> environment = json.read("$.workers.web.environment");
		assertThat(environment).containsOnly(Map.entry("API_SECRET", "******"), Map.entry("MODE", "******"));
		List<String> command = json.read("$.workers.web.command");
		assertThat(command).contains("sh", "-c").noneMatch((argument) -> argument.contains("hunter2"));
		Map<String, Object> replica = json.read("$.workers.web.replicas[0]");
		assertThat(replica).containsKeys("index", "state", "pid", "startedAt", "readyAt", "uptime", "restarts",
				"lastExit", "command", "lastLines");
		assertThat(replica.get("state")).isEqualTo("READY");
		assertThat(Processes.isAlive(((Number) replica.get("pid")).longValue())).isTrue();
		assertThat(replica.get("uptime").toString()).startsWith("PT");
		assertThat(replica.get("startedAt").toString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		DocumentContext one = json(get("/actuator/supervisor/web"), 200);
		assertThat(one.read("$.replicas.length()", Integer.class)).isEqualTo(2);
	}

	@Test
	void unknownGroupsAndBadInputAreRefusedAndChangeNothing() throws Exception {
		List<Object> pids = json(get("/actuator/supervisor/web"), 200).read("$.replicas[*].pid");
		assertThat(get("/actuator/supervisor/nope").statusCode()).isEqualTo(404);
		assertThat(post("/actuator/supervisor/nope/restart", "{}").statusCode()).isEqualTo(404);
		HttpResponse<String> negative = post("/actuator/supervisor/web/scale", "{\"replicas\":-1}");
		assertThat(negative.statusCode()).isEqualTo(400);
		assertThat(negative.body()).contains("replicas");
		HttpResponse<String> outOfRange = post("/actuator/supervisor/web/restart", "{\"replica\":7}");
		assertThat(outOfRange.statusCode()).isEqualTo(400);
		assertThat(outOfRange.body()).contains("Worker 'web' has no replica 7; its replicas are 0 to 1");
		HttpResponse<String> unknownAction = post("/actuator/supervisor/web/explode", "{}");
		assertThat(unknownAction.statusCode()).isEqualTo(400);
		assertThat(unknownAction.body()).contains("Unknown action 'explode'");
		List<Object> unchanged = json(get("/actuator/supervisor/web"), 200).read("$.replicas[*].pid");
		assertThat(unchanged).isEqualTo(pids);
	}

	@Test
	void restartAndScaleThroughTheEndpointAndGaugesFollow() throws Exception {
		long before = json(get("/actuator/supervisor/web"), 200).read("$.replicas[1].pid", Long.class);

		DocumentContext restarted = json(post("/actuator/supervisor/web/restart", "{\"replica\":1}"), 200);
		long after = restarted.read("$.replicas[1].pid", Long.class);
		assertThat(after).isNotEqualTo(before);
		assertThat(Processes.isAlive(before)).isFalse();
		// Events of this restart, in order, starting from the exit of the old process
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.after(before).size() >= 4);
		List<SupervisorEvent> restart = this.events.after(before);
		assertThat(restart).as(restart.toString())
			.extracting((event) -> event.getClass().getSimpleName())
			.startsWith("ReplicaExited", "ReplicaRestarting", "ReplicaStarted", "ReplicaReady");
		assertThat(((SupervisorEvent.ReplicaExited) restart.get(0)).exit().cause().tag()).isEqualTo("stopped");
		assertThat(((SupervisorEvent.ReplicaRestarting) restart.get(1)).cause().tag()).isEqualTo("manual");
		assertThat(((SupervisorEvent.ReplicaStarted) restart.get(2)).pid()).isEqualTo(after);
		assertThat(((SupervisorEvent.ReplicaReady) restart.get(3)).pid()).isEqualTo(after);
		// The stop is reported: endpoint, event and the drain timer
		DocumentContext report = json(get("/actuator/supervisor"), 200);
		assertThat(report.read("$.lastStop.reason", String.class))
			.isEqualTo("restart of worker 'web' replica 1 through the actuator endpoint");
		assertThat(report.read("$.lastStop.replicas[0].pid", Long.class)).isEqualTo(before);
		assertThat(report.read("$.lastStop.replicas[0].killed", Boolean.class)).isFalse();
		assertThat(report.read("$.lastStop.replicas[0].status", String.class)).contains("SIGTERM");
		assertThat(this.events.reports()).anyMatch((stop) -> stop.workers().get(0).pid() == before);
		assertThat(metric("supervisor.child.drain", "killed:false")).isGreaterThanOrEqualTo(1);
		json(post("/actuator/supervisor/web/scale", "{\"replicas\":3}"), 200);
		await().atMost(Duration.ofSeconds(10)).until(() -> gauge("supervisor.children.ready") == 3);
		assertThat(gauge("supervisor.children.desired")).isEqualTo(3);
		assertThat(gauge("supervisor.children.alive")).isEqualTo(3);
		DocumentContext scaledDown = json(post("/actuator/supervisor/web/scale", "{\"replicas\":2}"), 200);
		assertThat(scaledDown.read("$.replicas.length()", Integer.class)).isEqualTo(2);
		List<Integer> scaledAway = json(get("/actuator/supervisor"), 200).read("$.lastStop.replicas[*].replica");
		assertThat(scaledAway).containsExactly(2);
		assertThat(gauge("supervisor.children.alive")).isEqualTo(2);
		assertThat(gauge("supervisor.children.desired")).isEqualTo(2);
		assertThat(metric("supervisor.child.restarts", "cause:manual")).isGreaterThanOrEqualTo(1);
		assertThat(metric("supervisor.child.exits", "cause:stopped")).isGreaterThanOrEqualTo(2);
		assertThat(metric("supervisor.child.startup", null)).isPositive();
	}

	@Test
	void aliveGaugeMatchesTheProcessesActuallyAliveAfterRandomKills() throws Exception {
		for (int round = 0; round < 3; round++) {
			List<Number> read = json(get("/actuator/supervisor/web"), 200).read("$.replicas[*].pid");
			List<Long> pids = new ArrayList<>(read.stream().map(Number::longValue).toList());
			Collections.shuffle(pids);
			Processes.kill(pids.subList(0, 1 + round % 2));
			await().atMost(Duration.ofSeconds(10)).until(() -> gauge("supervisor.children.ready") == 2);
			assertThat(gauge("supervisor.children.alive")).isEqualTo(liveReplicas("web")).isEqualTo(2);
		}
		assertThat(metric("supervisor.child.exits", "outcome:SIGKILL")).isGreaterThanOrEqualTo(4);
		// One word for one death on both meters
		assertThat(metric("supervisor.child.exits", "cause:crashed")).isGreaterThanOrEqualTo(4);
		assertThat(metric("supervisor.child.restarts", "cause:crashed")).isGreaterThanOrEqualTo(4);
	}

	@Test
	void supervisorIsInTheReadinessGroupButNotLiveness() throws Exception {
		HealthEndpointGroup readiness = this.groups.get("readiness");
		assertThat(readiness).isNotNull();
		assertThat(readiness.isMember("supervisor")).isTrue();
		assertThat(readiness.isMember("readinessState")).isTrue();
		assertThat(this.groups.get("liveness").isMember("supervisor")).isFalse();
		assertThat(json(get("/actuator/health/readiness"), 200).read("$.status", String.class)).isEqualTo("UP");
		DocumentContext health = json(get("/actuator/health"), 200);
		assertThat(health.read("$.components.supervisor.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.supervisor.details.workers.web.ready", Integer.class)).isEqualTo(2);
	}

	private long liveReplicas(String worker) {
		return Processes.leftovers()
			.stream()
			.filter((pid) -> Processes.environment(pid).contains("SUPERVISOR_WORKER=" + worker + "\0"))
			.count();
	}

	private double gauge(String name) throws Exception {
		return metric(name, "worker:web");
	}

	private double metric(String name, String tag) throws Exception {
		String query = "/actuator/metrics/" + name + "?tag=worker:web"
				+ ((tag != null && !tag.startsWith("worker")) ? "&tag=" + tag : "");
		HttpResponse<String> response = get(query);
		if (response.statusCode() == 404) {
			return 0;
		}
		return json(response, 200).read("$.measurements[0].value", Double.class);
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

	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		private final List<SupervisorEvent> received = new CopyOnWriteArrayList<>();

		private final List<ShutdownReport> reports = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SupervisorEvent event) {
			this.received.add(event);
		}

		@EventListener
		void on(ShutdownReport report) {
			this.reports.add(report);
		}

		List<ShutdownReport> reports() {
			return this.reports;
		}

		List<SupervisorEvent> after(long pid) {
			List<SupervisorEvent> events = List.copyOf(this.received);
			for (int i = 0; i < events.size(); i++) {
				if (events.get(i) instanceof SupervisorEvent.ReplicaExited exited && exited.exit().pid() == pid) {
					int replica = exited.replica();
					return events.subList(i, events.size())
						.stream()
						.filter((event) -> replica(event) == replica)
						.toList();
				}
			}
			return List.of();
		}

		private static int replica(SupervisorEvent event) {
			if (event instanceof SupervisorEvent.ReplicaStarted started) {
				return started.replica();
			}
			if (event instanceof SupervisorEvent.ReplicaReady ready) {
				return ready.replica();
			}
			if (event instanceof SupervisorEvent.ReplicaExited exited) {
				return exited.replica();
			}
			if (event instanceof SupervisorEvent.ReplicaRestarting restarting) {
				return restarting.replica();
			}
			return -1;
		}

	}

}
