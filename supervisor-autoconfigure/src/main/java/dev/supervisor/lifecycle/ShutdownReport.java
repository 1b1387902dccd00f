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

package dev.supervisor.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import dev.supervisor.process.StopOutcome;
import org.jspecify.annotations.Nullable;

/**
 * What one stop of workers did: the application's shutdown, or a restart or scale-down
 * through the actuator endpoint. For each replica: when it was asked to stop and how, how
 * long it took to exit, whether it had to be killed at its deadline, how it ended; for a
 * shutdown also the web server's drain and the budget used and left. The replicas come
 * slowest first, so "what made shutdown slow?" has a one-look answer.
 *
 * @param reason what stopped the workers
 * @param began when the stop began (for a shutdown: when the deadline was fixed)
 * @param budget the time it was allowed, or {@code null} when each replica had its own
 * stop timeout
 * @param took how long it took until every replica, and the web server, were done
 * @param workers how each replica was stopped, slowest first
 * @param web how the web server drained, or {@code null} if it was not part of the stop
 * @param unaccounted how many replica processes were still alive, their stop not done,
 * when the report was made (normally none: the report waits for the stop ladder, which is
 * bounded)
 * @author the supervisor authors
 */
public record ShutdownReport(String reason, Instant began, @Nullable Duration budget, Duration took,
		List<StopOutcome> workers, @Nullable WebDrain web, int unaccounted) {

	/** The reason of the report of the application's shutdown. */
	public static final String APPLICATION_SHUTDOWN = "application shutdown";

	/**
	 * Order the replicas slowest first.
	 * @param reason the reason
	 * @param began the start
	 * @param budget the budget
	 * @param took the duration
	 * @param workers the replicas
	 * @param web the web server's drain
	 * @param unaccounted replica processes whose stop was not done
	 */
	public ShutdownReport {
		workers = workers.stream().sorted(Comparator.comparing(StopOutcome::took).reversed()).toList();
	}

	/**
	 * Create a report of a stop that accounts for every replica.
	 * @param reason the reason
	 * @param began the start
	 * @param budget the budget
	 * @param took the duration
	 * @param workers the replicas
	 * @param web the web server's drain
	 */
	public ShutdownReport(String reason, Instant began, @Nullable Duration budget, Duration took,
			List<StopOutcome> workers, @Nullable WebDrain web) {
		this(reason, began, budget, took, workers, web, 0);
	}

	/**
	 * Return whether this is the report of the application's shutdown.
	 * @return {@code true} for the application's shutdown
	 */
	public boolean applicationShutdown() {
		return APPLICATION_SHUTDOWN.equals(this.reason);
	}

	/**
	 * Return the part of the budget that was not used.
	 * @return the time left, never negative, or {@code null} without a budget
	 */
	public @Nullable Duration left() {
		if (this.budget == null) {
			return null;
		}
		Duration left = this.budget.minus(this.took);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * Describe the report as one readable block.
	 * @return the description
	 */
	public String describe() {
		StringBuilder text = new StringBuilder("Stop report (").append(this.reason)
			.append("): took ")
			.append(this.took.toMillis())
			.append("ms");
		if (this.budget != null) {
			text.append(" of a ")
				.append(this.budget.toMillis())
				.append("ms budget, ")
				.append(left().toMillis())
				.append("ms left");
		}
		if (this.web != null) {
			text.append(String.format("%n  web server: %s", this.web.describe()));
		}
		for (StopOutcome outcome : this.workers) {
			text.append(String.format("%n  %s", describe(outcome)));
		}
		if (this.unaccounted > 0) {
			text.append(String.format("%n  %d replica process(es) still being stopped when the report was made;"
					+ " their outcome is logged as 'Stopped worker ...'", this.unaccounted));
		}
		else if (this.workers.isEmpty()) {
			text.append(String.format("%n  no worker was running"));
		}
		return text.toString();
	}

	private String describe(StopOutcome outcome) {
		StringBuilder line = new StringBuilder("worker '").append(outcome.worker())
			.append("' replica ")
			.append(outcome.replica())
			.append(" (pid ")
			.append(outcome.pid())
			.append("): ");
		if (outcome.askedAt() != null) {
			// When it was actually asked: the message written, the signal sent
			line.append("asked by ")
				.append(outcome.stopMessage() ? "STOP" : "signal")
				.append(" at +")
				.append(Duration.between(this.began, outcome.askedAt()).toMillis())
				.append("ms");
		}
		else {
			line.append("gone before it was asked");
		}
		if (outcome.stopMessage() && outcome.signalledAt() != null) {
			line.append(", signalled at +")
				.append(Duration.between(this.began, outcome.signalledAt()).toMillis())
				.append("ms");
		}
		Instant exited = outcome.exitedAt();
		if (outcome.killed() && exited != null && exited.isBefore(outcome.killedAt())) {
			// The replica went in time; what it left behind did not
			line.append(", exited after ")
				.append(Duration.between(outcome.requestedAt(), exited).toMillis())
				.append("ms but its descendants were KILLED at its deadline after ")
				.append(outcome.took().toMillis())
				.append("ms");
		}
		else if (outcome.killed()) {
			line.append(", KILLED at its deadline after ").append(outcome.took().toMillis()).append("ms");
		}
		else {
			line.append(", gone after ").append(outcome.took().toMillis()).append("ms");
		}
		line.append(", ").append((outcome.status() != null) ? outcome.status().describe() : "status unknown");
		if (!outcome.foundByMarkers().isEmpty()) {
			line.append(", found by its markers: ")
				.append(outcome.foundByMarkers().stream().map((pid) -> "pid " + pid).collect(Collectors.joining(", ")));
		}
		if (!outcome.leftovers().isEmpty()) {
			line.append(", still alive: ").append(outcome.leftovers());
		}
		return line.toString();
	}

	/**
	 * How the web server drained its requests.
	 *
	 * @param began when its graceful shutdown began
	 * @param took how long it took, or {@code null} if it was still draining when the
	 * report was made
	 * @param completed whether every request completed before the deadline (otherwise the
	 * rest was aborted)
	 */
	public record WebDrain(Instant began, @Nullable Duration took, boolean completed) {

		String describe() {
			if (this.took == null) {
				return "still draining when the report was made";
			}
			return (this.completed ? "drained" : "aborted at the deadline") + " after " + this.took.toMillis() + "ms";
		}

	}

}
