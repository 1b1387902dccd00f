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

import dev.supervisor.shutdown.Deadline;

/**
 * A JVM, meant to be started with signals ignored, that supervises one {@code sleep}
 * whose stop signal is SIGINT. It prints how it starts processes and the replica's pid,
 * and on {@code stop} from its standard input stops it and prints how that went.
 *
 * @author the supervisor authors
 */
public final class IgnoredSignalsJvm {

	private IgnoredSignalsJvm() {
	}

	public static void main(String[] args) throws IOException {
		WorkerSpec sleeper = WorkerSpec.builder("sleeper", List.of("sleep", "600"))
			.stopSignal(Signal.INT)
			.readiness(new Readiness.Uptime(Duration.ofMillis(100)))
			.build();
		Supervisor supervisor = new Supervisor(List.of(sleeper),
				SupervisorOptions.defaults().withOrphanGuard(true, Duration.ofSeconds(1)));
		supervisor.start().join();
		System.out.println("SPAWN " + (supervisor.spawnsDirectly() ? "posix_spawn" : "setsid"));
		System.out.println("PIDS " + supervisor.snapshot("sleeper").replicas().get(0).pid());
		System.out.flush();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = input.readLine()) != null) {
			if (line.equals("stop")) {
				// A replica deaf to SIGINT would be killed only after 20 seconds
				for (StopOutcome outcome : supervisor.stop(Deadline.after(Duration.ofSeconds(20))).join()) {
					System.out.println("STOPPED status " + outcome.status() + " killed " + outcome.killed());
				}
				supervisor.close();
				System.out.println("DONE");
				System.out.flush();
				return;
			}
		}
	}

}
