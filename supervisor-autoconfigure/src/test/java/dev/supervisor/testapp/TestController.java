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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.shutdown.CancellationToken;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Endpoints whose requests take a while, with and without the cancellation token.
 *
 * @author the supervisor authors
 */
@RestController
public class TestController {

	/**
	 * Work in 100ms steps, checking the token between steps.
	 * @param seconds how long the work takes
	 * @param cancel the token
	 * @return a result once done
	 */
	@GetMapping("/slow")
	Map<String, Object> slow(@RequestParam int seconds, CancellationToken cancel) {
		System.out.println("request /slow started on " + Thread.currentThread());
		work(Duration.ofSeconds(seconds), cancel);
		return Map.of("status", "done");
	}

	@GetMapping("/slow-callable")
	Callable<Map<String, Object>> slowCallable(@RequestParam int seconds, CancellationToken cancel) {
		return () -> {
			System.out.println("request /slow-callable started");
			work(Duration.ofSeconds(seconds), cancel);
			return Map.of("status", "done");
		};
	}

	@GetMapping("/slow-future")
	CompletableFuture<Map<String, Object>> slowFuture(@RequestParam int seconds, CancellationToken cancel) {
		return CompletableFuture.supplyAsync(() -> {
			System.out.println("request /slow-future started");
			work(Duration.ofSeconds(seconds), cancel);
			return Map.of("status", "done");
		});
	}

	@GetMapping("/slow-deferred")
	DeferredResult<Map<String, Object>> slowDeferred(@RequestParam int seconds, CancellationToken cancel) {
		DeferredResult<Map<String, Object>> result = new DeferredResult<>(60_000L);
		Thread worker = new Thread(() -> {
			System.out.println("request /slow-deferred started");
			try {
				work(Duration.ofSeconds(seconds), cancel);
				result.setResult(Map.of("status", "done"));
			}
			catch (RuntimeException ex) {
				result.setErrorResult(ex);
			}
		});
		worker.start();
		return result;
	}

	/**
	 * Work without looking at the token.
	 * @param millis how long the work takes
	 * @return a result once done
	 */
	@GetMapping("/work")
	Map<String, Object> work(@RequestParam long millis) {
		System.out.println("request /work started");
		stand(Duration.ofMillis(millis));
		System.out.println("request /work done");
		return Map.of("status", "done");
	}

	@PostMapping("/on-shutdown")
	String onShutdown(@RequestParam String message, @RequestParam(defaultValue = "false") boolean unregister,
			CancellationToken cancel) {
		CancellationToken.Registration registration = cancel
			.onCancellation(() -> System.out.println("on-shutdown callback: " + message));
		if (unregister) {
			registration.unregister();
		}
		return "registered";
	}

	private static void work(Duration duration, CancellationToken cancel) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			cancel.throwIfCancellationRequested();
			stand(Duration.ofMillis(100));
		}
	}

	/**
	 * Stand in for work that takes the given time.
	 */
	private static void stand(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

}
