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

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.Supervisor;
import dev.supervisor.shutdown.CancellationToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Talks to the supervised workers, and shows what the {@link CancellationToken} does to
 * requests in flight when the application shuts down.
 * <p>
 * It takes the {@link Supervisor} through an {@link ObjectProvider}: with
 * {@code supervisor.enabled=false} there is no supervisor, and the application still
 * starts; its answers then say that no workers run. The {@link CancellationToken} is
 * there either way.
 *
 * @author the supervisor authors
 */
@RestController
class DemoController {

	private static final Log logger = LogFactory.getLog(DemoController.class);

	static final String NO_WORKERS = "No workers run: the supervisor is turned off (supervisor.enabled=false)";

	private final ObjectProvider<Supervisor> supervisor;

	DemoController(ObjectProvider<Supervisor> supervisor) {
		this.supervisor = supervisor;
	}

	/**
	 * Do some seconds of work in 100ms steps, checking the token between steps: during
	 * shutdown the request stops and answers 503 with {@code Retry-After}.
	 * @param seconds how long the work takes
	 * @param cancel the token, resolved by the starter (not a request parameter)
	 * @return the result once done
	 */
	@GetMapping("/demo/slow")
	Map<String, Object> slow(@RequestParam(defaultValue = "5") int seconds, CancellationToken cancel) {
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		while (System.nanoTime() < end) {
			cancel.throwIfCancellationRequested();
			work(Duration.ofMillis(100));
		}
		return Map.of("seconds", seconds, "status", "done");
	}

	/**
	 * Do some seconds of work without looking at the token: during shutdown it is drained
	 * until the shutdown deadline.
	 * @param seconds how long the work takes
	 * @return the result once done
	 */
	@GetMapping("/demo/busy")
	Map<String, Object> busy(@RequestParam(defaultValue = "5") int seconds) {
		work(Duration.ofSeconds(seconds));
		return Map.of("seconds", seconds, "status", "done");
	}

	/**
	 * Register a callback that logs a message when shutdown begins.
	 * @param message the message
	 * @param cancel the token
	 * @return what was registered
	 */
	@PostMapping("/demo/on-shutdown")
	Map<String, Object> onShutdown(@RequestParam String message, CancellationToken cancel) {
		cancel.onCancellation(
				() -> logger.info("Shutdown began, " + cancel.remaining().toMillis() + "ms left: " + message));
		return Map.of("registered", message);
	}

	/**
	 * Send a message to every ready echo replica and return their answers.
	 * @param message the message
	 * @return the answer of each replica, by port
	 * @throws IOException if a replica cannot be reached
	 */
	@GetMapping("/demo/echo")
	ResponseEntity<Map<String, String>> echo(@RequestParam(defaultValue = "hello") String message) throws IOException {
		Supervisor supervisor = this.supervisor.getIfAvailable();
		if (supervisor == null || !supervisor.workers().contains("echo")) {
			String reason = (supervisor != null) ? "No echo workers run: no worker 'echo' is configured" : NO_WORKERS;
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("message", reason));
		}
		GroupSnapshot echo = supervisor.snapshot("echo");
		Map<String, String> answers = new java.util.TreeMap<>();
		for (ReplicaSnapshot replica : echo.replicas()) {
			if (replica.readyAt() != null) {
				answers.put(Integer.toString(replica.port()), EchoClient.ask(replica.port(), message));
			}
		}
		return ResponseEntity.ok(answers);
	}

	/**
	 * Return the state of every replica.
	 * @return replicas by worker, or a message if no workers run
	 */
	@GetMapping("/demo/workers")
	Map<String, Object> workers() {
		Supervisor supervisor = this.supervisor.getIfAvailable();
		if (supervisor == null) {
			return Map.of("message", NO_WORKERS);
		}
		Map<String, Object> workers = new java.util.LinkedHashMap<>();
		for (String name : supervisor.workers()) {
			workers.put(name,
					supervisor.snapshot(name)
						.replicas()
						.stream()
						.map((replica) -> replica.index() + ": " + replica.state() + " pid " + replica.pid())
						.toList());
		}
		return workers;
	}

	/**
	 * Stand in for work that takes the given time.
	 */
	private static void work(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

}
