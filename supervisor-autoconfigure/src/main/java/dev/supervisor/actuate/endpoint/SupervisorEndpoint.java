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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Group;
import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Java;
import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Replica;
import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Workers;
import dev.supervisor.lifecycle.ShutdownReport;
import dev.supervisor.lifecycle.ShutdownReports;
import dev.supervisor.process.CommandLineMasker;
import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.JavaCommand;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.StopOutcome;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.WorkerSpec;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code supervisor} actuator endpoint: every worker group and replica, with its
 * state, process, restarts, last exit and last lines. Write operations restart a group or
 * a replica (through the stop ladder) and scale a group; they are off unless the
 * endpoint's access is raised to {@code unrestricted}.
 * <p>
 * Environment values are masked, and so is whatever looks like a secret on a command
 * line, unless {@code management.endpoint.supervisor.show-values} says otherwise, the
 * same way the {@code env} endpoint decides.
 *
 * @author the supervisor authors
 */
@Endpoint(id = "supervisor", defaultAccess = Access.READ_ONLY)
public class SupervisorEndpoint {

	/** Restart the group, or one replica when a {@code replica} is given. */
	public static final String RESTART = "restart";

	/** Set the group's number of replicas to {@code replicas}. */
	public static final String SCALE = "scale";

	/** The most replicas a group may be scaled to unless configured otherwise. */
	public static final int DEFAULT_MAX_REPLICAS = 1000;

	private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(5);

	private final Supervisor supervisor;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final @Nullable ShutdownReports reports;

	private final int maxReplicas;

	/**
	 * Create an endpoint that scales a group to at most {@value #DEFAULT_MAX_REPLICAS}
	 * replicas.
	 * @param supervisor the supervisor
	 * @param sanitizingFunctions the application's sanitizing functions
	 * @param showValues when values are shown unmasked
	 * @param reports where stop reports go, or {@code null}
	 */
	public SupervisorEndpoint(Supervisor supervisor, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues,
			@Nullable ShutdownReports reports) {
		this(supervisor, sanitizingFunctions, showValues, reports, DEFAULT_MAX_REPLICAS);
	}

	/**
	 * Create an endpoint.
	 * @param supervisor the supervisor
	 * @param sanitizingFunctions the application's sanitizing functions
	 * @param showValues when values are shown unmasked
	 * @param reports where stop reports go, or {@code null}
	 * @param maxReplicas the most replicas a group may be scaled to
	 * ({@code supervisor.max-replicas})
	 */
	public SupervisorEndpoint(Supervisor supervisor, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues,
			@Nullable ShutdownReports reports, int maxReplicas) {
		this.supervisor = supervisor;
		this.reports = reports;
		this.sanitizer = new Sanitizer(sanitizingFunctions);
		this.showValues = showValues;
		this.maxReplicas = maxReplicas;
	}

	@ReadOperation
	public Workers workers() {
		return workers(this.showValues.isShown(true));
	}

	@ReadOperation
	public @Nullable Group group(@Selector String name) {
		return group(name, this.showValues.isShown(true));
	}

	/**
	 * Restart a group or one of its replicas, or scale it. A restart answers once the new
	 * processes are started; a scale once the new replicas are ready (or failed) and the
	 * removed ones are gone.
	 * @param name the worker group
	 * @param action {@value #RESTART} or {@value #SCALE}
	 * @param replica the replica to restart, or {@code null} for all of them
	 * @param replicas the number of replicas to scale to
	 * @return the group afterwards
	 */
	@WriteOperation
	public Group change(@Selector String name, @Selector String action, @Nullable Integer replica,
			@Nullable Integer replicas) {
		return change(name, action, replica, replicas, this.showValues.isShown(true));
	}

	Workers workers(boolean showUnsanitized) {
		Map<String, Group> groups = new LinkedHashMap<>();
		for (String name : this.supervisor.workers()) {
			groups.put(name, group(name, showUnsanitized));
		}
		ShutdownReport last = (this.reports != null) ? this.reports.last() : null;
		return new Workers(groups, (last != null) ? SupervisorDescriptors.Report.of(last) : null);
	}

	@Nullable Group group(String name, boolean showUnsanitized) {
		GroupSnapshot group = this.supervisor.find(name);
		if (group == null) {
			return null;
		}
		WorkerSpec spec = this.supervisor.spec(name);
		Instant now = Instant.now();
		List<String> masked = mask(spec.command(), showUnsanitized);
		JavaCommand.Parts java = JavaCommand.parse(masked);
		List<String> command = shorten(masked, java);
		List<Replica> replicas = group.replicas()
			.stream()
			.map((replica) -> SupervisorDescriptors.replica(replica, command(replica, command, showUnsanitized), now))
			.toList();
		Map<String, String> environment = new LinkedHashMap<>();
		SupervisorDescriptors.ordered(spec.environment())
			.forEach((key, value) -> environment.put(key,
					String.valueOf(this.sanitizer.sanitize(new SanitizableData(null, key, value), showUnsanitized))));
		return SupervisorDescriptors.group(group, command,
				(java != null) ? new Java(java.mainClass(), java.jvmArgs(), java.args(), java.classPath()) : null,
				environment, replicas);
	}

	Group change(String name, String action, @Nullable Integer replica, @Nullable Integer replicas,
			boolean showUnsanitized) {
		if (!this.supervisor.workers().contains(name)) {
			throw new UnknownWorkerException(name, this.supervisor.workers());
		}
		Instant began = Instant.now();
		long beganNanos = System.nanoTime();
		String reason;
		CompletableFuture<List<StopOutcome>> change = switch (action) {
			case RESTART -> {
				if (replicas != null) {
					throw new InvalidEndpointRequestException("'replicas' is for scale, not restart",
							"Send 'replica' to restart one replica, nothing to restart them all");
				}
				if (replica == null) {
					reason = "restart of worker '" + name + "' through the actuator endpoint";
					yield this.supervisor.restart(name);
				}
				int size = this.supervisor.snapshot(name).desired();
				if (replica < 0 || replica >= size) {
					throw new InvalidEndpointRequestException(
							"Worker '" + name + "' has no replica " + replica + "; its replicas are 0 to " + (size - 1),
							"Replica out of range");
				}
				reason = "restart of worker '" + name + "' replica " + replica + " through the actuator endpoint";
				yield this.supervisor.restart(name, replica);
			}
			case SCALE -> {
				if (replicas == null || replicas < 0) {
					throw new InvalidEndpointRequestException(
							"Scaling needs 'replicas', a number of replicas of 0 or more (got " + replicas + ")",
							"Invalid replicas");
				}
				if (replicas > this.maxReplicas) {
					throw new InvalidEndpointRequestException(
							"Worker '" + name + "' may run at most " + this.maxReplicas
									+ " replicas (supervisor.max-replicas); " + replicas + " were asked for",
							"Too many replicas");
				}
				reason = "scale of worker '" + name + "' to " + replicas + " replicas through the actuator endpoint";
				try {
					yield this.supervisor.scale(name, replicas);
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Invalid replicas");
				}
			}
			default -> throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "'; use '" + RESTART + "' or '" + SCALE + "'", "Unknown action");
		};
		List<StopOutcome> outcomes = await(change);
		if (this.reports != null && !outcomes.isEmpty()) {
			this.reports.record(new ShutdownReport(reason, began, null,
					Duration.ofNanos(System.nanoTime() - beganNanos), outcomes, null));
		}
		return group(name, showUnsanitized);
	}

	/**
	 * Return a replica's command as shown, or {@code null} when it is the group's.
	 */
	private @Nullable List<String> command(ReplicaSnapshot replica, List<String> group, boolean showUnsanitized) {
		if (replica.command().isEmpty()) {
			return null;
		}
		List<String> masked = mask(replica.command(), showUnsanitized);
		List<String> command = shorten(masked, JavaCommand.parse(masked));
		return command.equals(group) ? null : command;
	}

	/**
	 * Mask what looks like a secret on a command line; when values may be shown, the
	 * application's sanitizing functions still decide about every named value.
	 */
	private List<String> mask(List<String> command, boolean showUnsanitized) {
		if (!showUnsanitized) {
			return CommandLineMasker.mask(command);
		}
		return CommandLineMasker.mask(command, (key, value) -> (key != null)
				? String.valueOf(this.sanitizer.sanitize(new SanitizableData(null, key, value), true)) : value);
	}

	/**
	 * Replace the class path of a Java command, which {@code java.classPath} lists once,
	 * with the number of its entries.
	 */
	private static List<String> shorten(List<String> command, JavaCommand.@Nullable Parts java) {
		if (java == null) {
			return command;
		}
		List<String> shortened = new ArrayList<>(command);
		int entries = java.classPath().size();
		shortened.set(java.classPathIndex(), "<class path: " + entries + ((entries != 1) ? " entries>" : " entry>"));
		return List.copyOf(shortened);
	}

	private static List<StopOutcome> await(CompletableFuture<List<StopOutcome>> change) {
		try {
			return change.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the change", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw new InvalidEndpointRequestException(String.valueOf(cause.getMessage()), "Change refused");
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The change did not complete within " + WRITE_TIMEOUT, ex);
		}
	}

	/**
	 * Thrown for a worker group that does not exist.
	 */
	static final class UnknownWorkerException extends InvalidEndpointRequestException {

		UnknownWorkerException(String name, List<String> known) {
			super("No worker named '" + name + "'; known workers are " + known, "Unknown worker");
		}

	}

}
