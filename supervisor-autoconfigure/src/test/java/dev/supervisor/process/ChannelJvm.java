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
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.supervisor.process.SupervisorEvent.ReplicaReady;
import dev.supervisor.process.SupervisorEvent.ReplicaRestarting;
import dev.supervisor.process.SupervisorEvent.ReplicaStarted;
import dev.supervisor.shutdown.Deadline;
import dev.supervisor.test.NotifyWorker;

/**
 * A JVM that supervises notify workers ({@code notified}) for tests of the control
 * channel, so that the tests can stop it, starve it of file descriptors and count its
 * sockets without disturbing their own JVM. Arguments, all optional:
 * <ul>
 * <li>{@code replicas=N}: how many replicas (1);</li>
 * <li>{@code heartbeat=MS}: the heartbeat timeout;</li>
 * <li>{@code identity=TEXT}: the application's identity;</li>
 * <li>{@code gate=PATH}: each replica is a shell that waits for a line from this FIFO,
 * then runs the worker as its child.</li>
 * </ul>
 * It prints whether it calls the C library itself ({@code NATIVE yes}, or
 * {@code NATIVE no: reason}), {@code SOCKET path}, {@code EVENT STARTED|READY pid} and
 * {@code EVENT RESTARTING cause} as things happen, and obeys these lines on its standard
 * input: {@code hog} (open files until there are no descriptors left, then print
 * {@code HOGGED}), {@code release} (close them, print {@code RELEASED}), {@code restart}
 * (restart replica 0), {@code stop} (stop everything and exit, as it does when its input
 * ends).
 *
 * @author the supervisor authors
 */
public final class ChannelJvm {

	private ChannelJvm() {
	}

	public static void main(String[] args) throws IOException {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		List<String> command = new ArrayList<>();
		String gate = options.get("gate");
		if (gate != null) {
			// Not exec: the worker is the replica's child, so it connects as a descendant
			command.addAll(List.of("sh", "-c", "read go < \"$0\"; \"$@\"; exit $?", gate));
		}
		command.addAll(
				JavaCommand.of(NotifyWorker.class.getName(), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"), List.of()));
		WorkerSpec.Builder spec = WorkerSpec.builder("notified", command)
			.replicas(Integer.parseInt(options.getOrDefault("replicas", "1")))
			.readiness(new Readiness.Notify())
			.startupTimeout(Duration.ofSeconds(60))
			.stopTimeout(Duration.ofSeconds(2));
		if (options.containsKey("heartbeat")) {
			spec.heartbeatTimeout(Duration.ofMillis(Long.parseLong(options.get("heartbeat"))));
		}
		SupervisorOptions supervisorOptions = SupervisorOptions.defaults()
			.withIdentity(options.get("identity"))
			.withListener(ChannelJvm::print);
		Supervisor supervisor = new Supervisor(List.of(spec.build()), supervisorOptions);
		System.out.println("NATIVE "
				+ (supervisor.spawnsDirectly() ? "yes" : "no: " + Supervisor.whyNotDirect(supervisorOptions)));
		System.out.println("SOCKET " + supervisor.controlChannel().socket());
		System.out.flush();
		supervisor.start().join();
		System.out.println("PIDS " + supervisor.snapshot("notified")
			.replicas()
			.stream()
			.map((replica) -> String.valueOf(replica.pid()))
			.collect(Collectors.joining(" ")));
		System.out.flush();
		List<InputStream> hogged = new ArrayList<>();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = input.readLine()) != null) {
			switch (line) {
				case "hog" -> {
					try {
						while (true) {
							hogged.add(new FileInputStream("/dev/null"));
						}
					}
					catch (IOException ex) {
						System.out.println("HOGGED " + hogged.size() + ": " + ex.getMessage());
					}
				}
				case "release" -> {
					for (InputStream stream : hogged) {
						stream.close();
					}
					hogged.clear();
					System.out.println("RELEASED");
				}
				case "restart" -> supervisor.restart("notified", 0);
				case "stop" -> {
					supervisor.stop(Deadline.after(Duration.ofSeconds(2))).join();
					supervisor.close();
					System.out.println("DONE");
					System.out.flush();
					return;
				}
				default -> System.out.println("UNKNOWN " + line);
			}
			System.out.flush();
		}
		// The test is gone: so is this JVM, and what it supervises
		supervisor.close();
		System.exit(0);
	}

	private static void print(SupervisorEvent event) {
		if (event instanceof ReplicaStarted started) {
			System.out.println("EVENT STARTED " + started.pid());
		}
		else if (event instanceof ReplicaReady ready) {
			System.out.println("EVENT READY " + ready.pid());
		}
		else if (event instanceof ReplicaRestarting restarting) {
			System.out.println("EVENT RESTARTING " + restarting.cause());
		}
		System.out.flush();
	}

}
