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

package dev.supervisor.testapp;

import java.time.Duration;
import java.util.Map;

import dev.supervisor.shutdown.CancellationRequestedException;
import dev.supervisor.shutdown.CancellationToken;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller that maps the cancellation itself, which wins over the starter's 503.
 *
 * @author the supervisor authors
 */
@RestController
public class OwnMappingController {

	@GetMapping("/slow-own-mapping")
	Map<String, Object> slow(@RequestParam int seconds, CancellationToken cancel) {
		System.out.println("request /slow-own-mapping started");
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		while (System.nanoTime() < end) {
			cancel.throwIfCancellationRequested();
			java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
		}
		return Map.of("status", "done");
	}

	@ExceptionHandler(CancellationRequestedException.class)
	@ResponseStatus(HttpStatus.GONE)
	Map<String, Object> cancelled(CancellationRequestedException ex) {
		return Map.of("mapped", "by the application");
	}

}
