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
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.supervisor.shutdown.Deadline;

/**
 * A JVM that supervises two workers with grandchildren, one of them deaf to SIGTERM,
 * prints how it starts processes and their process ids, and waits to be killed, or for
 * {@code stop} on its standard input. Used to prove that nothing survives a SIGKILL of
 * the supervising JVM, and to run the supervisor on another JDK than the tests'.
 *
 * @author the supervisor authors
 */
public final class SupervisedJvm {

	private SupervisedJvm() {
	}

	public static void main(String[] args) throws IOException {
		Duration grace = Duration.ofMillis(Long.parseLong(args[0]));
		if (args.length > 1 && args[1].equals("notify")) {
			notifyWorkers(grace);
			return;
		}
		Readiness ready = new Readiness.LogLine(Pattern.compile("ready"));
		WorkerSpec family = WorkerSpec
			.builder("family", List.of("sh", "-c", "sleep 1000 & sh -c 'sleep 1001 & exit 0'; echo ready; wait"))
			.readiness(ready)
			.build();
		WorkerSpec deaf = WorkerSpec
			.builder("deaf", List.of("sh", "-c", "trap '' TERM; sleep 1002 & echo ready; while :; do sleep 1; done"))
			.readiness(ready)
			.build();
		SupervisorOptions options = SupervisorOptions.defaults()
			.withOrphanGuard(true, grace)
			.withIdentity(System.getProperty("supervisor.identity"))
			.withNativeAccess(Boolean.parseBoolean(System.getProperty("supervisor.native-access", "true")));
		Supervisor supervisor = new Supervisor(List.of(family, deaf), options);
		supervisor.start().join();
		System.out.println("SPAWN "
				+ (supervisor.spawnsDirectly() ? "posix_spawn" : "setsid (" + Supervisor.whyNotDirect(options) + ")"));
		String pids = supervisor.snapshot()
			.stream()
			.map((group) -> group.replicas().get(0).pid().toString())
			.collect(Collectors.joining(" "));
		System.out.println("PIDS " + pids);
		System.out.flush();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = input.readLine()) != null) {
			if (line.equals("stop")) {
				// The ladder, with a deadline shorter than the test's patience
				for (StopOutcome outcome : supervisor.stop(Deadline.after(Duration.ofSeconds(1))).join()) {
					System.out.println("STOPPED " + outcome.worker() + " status " + outcome.status() + " killed "
							+ outcome.killed() + " leftovers " + outcome.leftovers());
				}
				supervisor.close();
				System.out.println("DONE");
				System.out.flush();
				return;
			}
		}
	}

	/**
	 * Run notify workers that ignore SIGTERM, with no orphan guard: only their own
	 * parent-death watchdog can end them when this JVM dies.
	 */
	private static void notifyWorkers(Duration grace) throws IOException {
		List<String> java = JavaCommand.of(dev.supervisor.test.NotifyWorker.class.getName(), List.of("-Xmx32m"),
				List.of("--parent-death-work=60000"));
		List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "trap '' TERM; exec \"$@\"", "sh"));
		command.addAll(java);
		WorkerSpec spec = WorkerSpec.builder("notified", command)
			.replicas(2)
			.readiness(new Readiness.Notify())
			.startupTimeout(Duration.ofSeconds(60))
			.build();
		Supervisor supervisor = new Supervisor(List.of(spec),
				SupervisorOptions.defaults().withOrphanGuard(false, grace));
		supervisor.start().join();
		String pids = supervisor.snapshot("notified")
			.replicas()
			.stream()
			.map((replica) -> replica.pid().toString())
			.collect(Collectors.joining(" "));
		System.out.println("PIDS " + pids);
		System.out.flush();
		awaitKill();
	}

	private static void awaitKill() throws IOException {
		while (System.in.read() != -1) {
			// keep reading until killed
		}
	}

}
