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
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.Supervisor;
import dev.supervisor.shutdown.CancellationToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Talks to the supervised workers, and shows what the {@link CancellationToken} does to
 * requests in flight when the application shuts down.
 *
 * @author the supervisor authors
 */
@RestController
class DemoController {

	private static final Log logger = LogFactory.getLog(DemoController.class);

	private final Supervisor supervisor;

	DemoController(Supervisor supervisor) {
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
	Map<Integer, String> echo(@RequestParam(defaultValue = "hello") String message) throws IOException {
		GroupSnapshot echo = this.supervisor.snapshot("echo");
		Map<Integer, String> answers = new java.util.TreeMap<>();
		for (ReplicaSnapshot replica : echo.replicas()) {
			if (replica.readyAt() != null) {
				answers.put(replica.port(), EchoClient.ask(replica.port(), message));
			}
		}
		return answers;
	}

	/**
	 * Return the state of every replica.
	 * @return replicas by worker
	 */
	@GetMapping("/demo/workers")
	Map<String, List<String>> workers() {
		Map<String, List<String>> workers = new java.util.LinkedHashMap<>();
		for (String name : this.supervisor.workers()) {
			workers.put(name,
					this.supervisor.snapshot(name)
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
