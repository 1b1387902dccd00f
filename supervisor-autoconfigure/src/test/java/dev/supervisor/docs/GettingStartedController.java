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

package dev.supervisor.docs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.process.Supervisor;
import dev.supervisor.shutdown.CancellationToken;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The controller of the README's getting started and of
 * {@code docs/cancellation-token.md}.
 *
 * @author the supervisor authors
 */
@RestController
class GettingStartedController {

	private final ObjectProvider<Supervisor> supervisor;

	GettingStartedController(ObjectProvider<Supervisor> supervisor) {
		this.supervisor = supervisor;
	}

	@GetMapping("/demo/workers")
	Map<String, Object> workers() {
		Supervisor supervisor = this.supervisor.getIfAvailable(); // ObjectProvider<Supervisor>
		if (supervisor == null) {
			return Map.of("message", "No workers run: the supervisor is turned off (supervisor.enabled=false)");
		}
		return Map.of("workers", supervisor.workers());
	}

	@GetMapping("/demo/slow")
	Map<String, Object> slow(@RequestParam(defaultValue = "5") int seconds, CancellationToken cancel) {
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		while (System.nanoTime() < end) {
			cancel.throwIfCancellationRequested(); // 503 + Retry-After during shutdown
			work(Duration.ofMillis(100));
		}
		return Map.of("seconds", seconds, "status", "done");
	}

	private static void work(Duration duration) {
		LockSupport.parkNanos(duration.toNanos());
	}

}
