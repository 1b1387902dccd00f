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

package dev.supervisor.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.supervisor.shutdown.Deadline;

/**
 * A JVM meant to run under a limit on processes and threads (a cgroup's
 * {@code pids.max}), supervising {@code sleep}s whose number it changes when told
 * ({@code scale N} on its standard input), so that a test can let the next start fail at
 * a chosen step. {@code stop} stops everything and closes the supervisor.
 *
 * @author the supervisor authors
 */
public final class PidsLimitJvm {

	private PidsLimitJvm() {
	}

	public static void main(String[] args) throws IOException {
		WorkerSpec sleeper = WorkerSpec.builder("sleeper", List.of("sleep", "1000"))
			.environment(Map.of("TEST_RUN", args[0]))
			.readiness(new Readiness.Uptime(Duration.ofMillis(100)))
			.crashLoop(new CrashLoopLimit(0, Duration.ofMinutes(1)))
			.stopTimeout(Duration.ofSeconds(2))
			.build();
		Supervisor supervisor = new Supervisor(List.of(sleeper),
				SupervisorOptions.defaults().withOrphanGuard(true, Duration.ofSeconds(1)));
		supervisor.start().join();
		System.out.println("PIDS " + supervisor.snapshot("sleeper").replicas().get(0).pid());
		System.out.flush();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = input.readLine()) != null) {
			if (line.startsWith("scale ")) {
				int replicas = Integer.parseInt(line.substring(6));
				supervisor.scale("sleeper", replicas)
					.whenComplete((outcomes, ex) -> System.out.println("SCALED " + replicas + " " + ex));
			}
			else if (line.equals("stop")) {
				List<StopOutcome> outcomes = supervisor.stop(Deadline.after(Duration.ofSeconds(2))).join();
				System.out.println("STOPPED " + outcomes.size());
				supervisor.close();
				System.out.println("DONE");
				System.out.flush();
				return;
			}
		}
	}

}
