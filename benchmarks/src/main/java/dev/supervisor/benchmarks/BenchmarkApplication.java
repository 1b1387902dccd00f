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

package dev.supervisor.benchmarks;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.shutdown.CancellationToken;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the web benchmarks run against, in a JVM of its own.
 *
 * @author the supervisor authors
 */
@SpringBootApplication
@RestController
public class BenchmarkApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchmarkApplication.class, args);
	}

	@GetMapping("/plain")
	String plain() {
		return "ok";
	}

	@GetMapping("/token")
	String token(CancellationToken cancel) {
		cancel.throwIfCancellationRequested();
		return "ok";
	}

	@GetMapping("/work")
	String work(@RequestParam long millis) {
		System.out.println("work started");
		long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
		return "done";
	}

}
