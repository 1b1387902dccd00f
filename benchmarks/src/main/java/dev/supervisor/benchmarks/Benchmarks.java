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

import java.util.Arrays;
import java.util.List;

/**
 * Runs the benchmarks named on the command line (all of them by default) and prints their
 * figures.
 *
 * @author the supervisor authors
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		List<String> names = (args.length > 0) ? Arrays.asList(args) : List.of("engine", "shutdown");
		System.out.printf("Java %s on %s %s, %d cores%n%n", System.getProperty("java.version"),
				System.getProperty("os.name"), System.getProperty("os.arch"),
				Runtime.getRuntime().availableProcessors());
		for (String name : names) {
			switch (name) {
				case "engine" -> EngineBenchmark.run();
				case "shutdown" -> ShutdownBenchmark.run();
				case "spread" -> EngineBenchmark.termSpread(new int[] { 16, 50, 200 }, 3);
				case "deadline" -> ShutdownBenchmark.deadline(new int[] { 10, 50, 200 }, 3);
				default -> throw new IllegalArgumentException(
						"Unknown benchmark '" + name + "' (engine, shutdown, or alone: spread, deadline)");
			}
		}
	}

}
