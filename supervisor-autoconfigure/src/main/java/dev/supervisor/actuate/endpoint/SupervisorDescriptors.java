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

package dev.supervisor.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.supervisor.lifecycle.ShutdownReport;
import dev.supervisor.process.ExitRecord;
import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.Signal;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code supervisor} endpoint shows.
 *
 * @author the supervisor authors
 */
public final class SupervisorDescriptors {

	private SupervisorDescriptors() {
	}

	/**
	 * Every worker group, and the last stop report.
	 *
	 * @param workers the groups by name
	 * @param lastStop the report of the last stop of workers (a shutdown, restart or
	 * scale-down), if there was one
	 */
	public record Workers(Map<String, Group> workers, @Nullable Report lastStop) {
	}

	/**
	 * A stop report: what a stop of workers did, slowest replica first.
	 *
	 * @param reason what stopped them
	 * @param began when
	 * @param budgetMillis the time allowed, if one budget applied to all
	 * @param tookMillis how long it took
	 * @param leftMillis the part of the budget left
	 * @param web how the web server drained, for a shutdown
	 * @param replicas how each replica was stopped
	 */
	public record Report(String reason, Instant began, @Nullable Long budgetMillis, long tookMillis,
			@Nullable Long leftMillis, @Nullable Web web, List<Stopped> replicas) {

		static Report of(ShutdownReport report) {
			ShutdownReport.WebDrain drain = report.web();
			Web web = (drain != null)
					? new Web(drain.began(), (drain.took() != null) ? drain.took().toMillis() : null, drain.completed())
					: null;
			List<Stopped> replicas = report.workers()
				.stream()
				.map((outcome) -> new Stopped(outcome.worker(), outcome.replica(), outcome.pid(),
						outcome.stopMessage() ? "STOP" : "signal",
						Duration
							.between(report.began(),
									(outcome.askedAt() != null) ? outcome.askedAt() : outcome.requestedAt())
							.toMillis(),
						(outcome.signalledAt() != null)
								? Duration.between(report.began(), outcome.signalledAt()).toMillis() : null,
						outcome.took().toMillis(), outcome.killed(),
						(outcome.status() != null) ? outcome.status().describe() : null))
				.toList();
			return new Report(report.reason(), report.began(),
					(report.budget() != null) ? report.budget().toMillis() : null, report.took().toMillis(),
					(report.left() != null) ? report.left().toMillis() : null, web, replicas);
		}

	}

	/**
	 * How the web server drained.
	 *
	 * @param began when its graceful shutdown began
	 * @param tookMillis how long it took, if it was done when the report was made
	 * @param completed whether every request completed before the deadline
	 */
	public record Web(Instant began, @Nullable Long tookMillis, boolean completed) {
	}

	/**
	 * How one replica was stopped.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param pid the process id
	 * @param askedBy {@code STOP} (the control channel) or {@code signal}
	 * @param askedAtMillis when it was asked, after the stop began
	 * @param signalledAtMillis when the signal followed a {@code STOP}, after the stop
	 * began
	 * @param tookMillis how long it took to be gone
	 * @param killed whether it was killed at its deadline
	 * @param status how it ended
	 */
	public record Stopped(String worker, int replica, long pid, String askedBy, long askedAtMillis,
			@Nullable Long signalledAtMillis, long tookMillis, boolean killed, @Nullable String status) {
	}

	/**
	 * One worker group.
	 *
	 * @param state the group's state
	 * @param desired how many replicas it should run
	 * @param ready how many are ready
	 * @param alive how many replica processes are alive
	 * @param command the command (secrets masked; a class path shortened to the number of
	 * its entries, which {@code java} lists)
	 * @param java the parts of a command that runs a Java main class, or {@code null}
	 * @param environment the variables it adds (values masked unless shown)
	 * @param output lines dropped because logging could not keep up
	 * @param replicas its replicas
	 */
	public record Group(String state, int desired, int ready, int alive, List<String> command, @Nullable Java java,
			Map<String, String> environment, Output output, List<Replica> replicas) {
	}

	/**
	 * The parts of a command that runs a Java main class, with its class path once.
	 *
	 * @param mainClass the main class
	 * @param jvmArgs the options for the JVM (secrets masked)
	 * @param args the arguments for the main method (secrets masked)
	 * @param classPath the entries of the class path
	 */
	public record Java(String mainClass, List<String> jvmArgs, List<String> args, List<String> classPath) {
	}

	/**
	 * Output lines dropped because the replicas printed faster than logging took them.
	 *
	 * @param droppedLines the lines
	 * @param droppedBytes the bytes
	 */
	public record Output(long droppedLines, long droppedBytes) {
	}

	/**
	 * One replica.
	 *
	 * @param index its index
	 * @param state its state
	 * @param pid the process id, if a process runs
	 * @param port its port, if it has one
	 * @param startedAt when its current (or last) process started
	 * @param readyAt when it became ready, if it is ready
	 * @param uptime how long its process has run (ISO-8601), if one runs
	 * @param restarts how many times it was restarted
	 * @param lastExit how its last process ended
	 * @param command the command of its current (or last) process as shown for the group,
	 * or {@code null} when it is the group's command (it differs when placeholders such
	 * as the port are resolved in it)
	 * @param status what it last said it is doing on the control channel
	 * @param lastLines the last lines it printed
	 * @param readiness what its readiness probe checks and last saw, if it has a
	 * {@code tcp} or {@code http} probe
	 */
	public record Replica(int index, String state, @Nullable Long pid, @Nullable Integer port,
			@Nullable Instant startedAt, @Nullable Instant readyAt, @Nullable String uptime, int restarts,
			@Nullable LastExit lastExit, @Nullable List<String> command, @Nullable String status,
			List<String> lastLines, @Nullable Readiness readiness) {
	}

	/**
	 * What a replica's readiness probe checks and what its last attempt saw.
	 *
	 * @param check what is probed, for example {@code GET http://127.0.0.1:4711/health}
	 * @param lastResult what the last attempt saw, for example
	 * {@code HTTP 503 "warming up"} or {@code connection refused}
	 * @param at when the last attempt ended
	 */
	public record Readiness(String check, String lastResult, Instant at) {

		static @Nullable Readiness of(ReplicaSnapshot.@Nullable ReadinessCheck check) {
			return (check != null) ? new Readiness(check.check(), check.lastResult(), check.at()) : null;
		}

	}

	/**
	 * How a replica's last process ended.
	 *
	 * @param pid its process id
	 * @param code its exit code, if it exited
	 * @param signal the signal that ended it, if one did
	 * @param cause why it ended
	 * @param startupFailure whether it ended before it was ever ready
	 * @param killed whether the supervisor had to kill it
	 * @param at when
	 */
	public record LastExit(long pid, @Nullable Integer code, @Nullable String signal, String cause,
			boolean startupFailure, boolean killed, Instant at) {

		static LastExit of(ExitRecord exit) {
			Signal signal = exit.status().signal();
			return new LastExit(exit.pid(), (signal != null) ? null : exit.status().code(),
					(signal != null) ? signal.signalName() : null, exit.cause().tag(), exit.startupFailure(),
					exit.killed(), exit.at());
		}

	}

	static Map<String, String> ordered(Map<String, String> map) {
		return new LinkedHashMap<>(new java.util.TreeMap<>(map));
	}

	static Replica replica(ReplicaSnapshot replica, @Nullable List<String> command, Instant now) {
		Duration uptime = replica.uptime(now);
		return new Replica(replica.index(), replica.state().name(), replica.pid(),
				(replica.port() > 0) ? replica.port() : null, replica.startedAt(), replica.readyAt(),
				(uptime != null) ? uptime.toString() : null, replica.restarts(),
				(replica.lastExit() != null) ? LastExit.of(replica.lastExit()) : null, command, replica.status(),
				replica.lastLines(), Readiness.of(replica.readiness()));
	}

	static Group group(GroupSnapshot group, List<String> command, @Nullable Java java, Map<String, String> environment,
			List<Replica> replicas) {
		return new Group(group.state().name(), group.desired(), group.ready(), group.alive(), command, java,
				environment, new Output(group.droppedLines(), group.droppedBytes()), replicas);
	}

}
