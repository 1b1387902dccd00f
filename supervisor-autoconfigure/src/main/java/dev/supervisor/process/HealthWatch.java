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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Watches a ready replica for signs that it hangs: heartbeats on the control channel that
 * stop coming, or a liveness check that fails too many times in a row. Either makes it
 * unhealthy. Runs on the supervisor's state thread; it looks only when a heartbeat would
 * be overdue or a check is due, never more often.
 * <p>
 * Silence is judged fairly: before a replica is found hung, whatever it sent and the
 * control channel has not read yet is read; and time the supervisor itself did not run
 * (the JVM stopped, a long pause, a frozen machine), seen as a check that runs late, is
 * not counted: the replica gets a whole timeout from the moment the supervisor runs
 * again.
 *
 * @author the supervisor authors
 */
final class HealthWatch {

	/** Most late a check may run before the supervisor counts as not having run. */
	private static final Duration MAX_LATENESS = Duration.ofSeconds(1);

	/** The longest wait for the control channel to read what is waiting. */
	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

	private final Supervisor supervisor;

	private final ChildProcess process;

	private final @Nullable Duration heartbeatTimeout;

	private final @Nullable Liveness liveness;

	private final @Nullable ReadinessProbe probe;

	private final Consumer<String> unhealthy;

	private @Nullable ScheduledFuture<?> heartbeatCheck;

	private @Nullable ScheduledFuture<?> livenessCheck;

	private long lastHeartbeat;

	private long heartbeatCheckDue;

	private int failures;

	private volatile boolean cancelled;

	HealthWatch(Supervisor supervisor, ChildProcess process, @Nullable Duration heartbeatTimeout,
			@Nullable Liveness liveness, @Nullable ReadinessProbe probe, Consumer<String> unhealthy) {
		this.supervisor = supervisor;
		this.process = process;
		this.heartbeatTimeout = heartbeatTimeout;
		this.liveness = liveness;
		this.probe = probe;
		this.unhealthy = unhealthy;
	}

	void start() {
		if (this.heartbeatTimeout != null) {
			this.lastHeartbeat = now();
			scheduleHeartbeatCheck(this.heartbeatTimeout);
		}
		if (this.liveness != null && this.probe != null) {
			this.livenessCheck = this.supervisor.schedule(this::checkLiveness, this.liveness.period());
		}
	}

	/**
	 * The replica sent a heartbeat.
	 */
	void heartbeat() {
		this.lastHeartbeat = now();
	}

	void cancel() {
		this.cancelled = true;
		cancel(this.heartbeatCheck);
		cancel(this.livenessCheck);
	}

	private void scheduleHeartbeatCheck(Duration delay) {
		this.heartbeatCheckDue = now() + delay.toNanos();
		this.heartbeatCheck = this.supervisor.schedule(this::checkHeartbeat, delay);
	}

	private void checkHeartbeat() {
		if (this.cancelled) {
			return;
		}
		long now = now();
		if (now - this.heartbeatCheckDue > lateness().toNanos()) {
			// The supervisor did not run for a while: the replica's silence then is not
			// its own
			this.lastHeartbeat = Math.max(this.lastHeartbeat, now);
		}
		if (silence(now).compareTo(this.heartbeatTimeout) < 0) {
			scheduleHeartbeatCheck(this.heartbeatTimeout.minus(silence(now)));
			return;
		}
		// Overdue: heartbeats may be waiting unread; what the channel reads is handed to
		// this thread before the judgement below
		ControlChannel.Registration control = this.process.control();
		CompletableFuture<Void> drained = (control != null) ? control.drain() : CompletableFuture.completedFuture(null);
		CompletableFuture<Void> judged = new CompletableFuture<>();
		drained.whenComplete((result, ex) -> judged.complete(null));
		this.supervisor.schedule(() -> judged.complete(null), DRAIN_TIMEOUT);
		judged.thenRun(() -> this.supervisor.execute(this::judgeHeartbeat));
	}

	private void judgeHeartbeat() {
		if (this.cancelled) {
			return;
		}
		Duration silent = silence(now());
		if (silent.compareTo(this.heartbeatTimeout) >= 0) {
			cancel();
			this.unhealthy.accept("no heartbeat for " + silent.toMillis() + "ms");
		}
		else {
			scheduleHeartbeatCheck(this.heartbeatTimeout.minus(silent));
		}
	}

	private Duration silence(long now) {
		return Duration.ofNanos(now - this.lastHeartbeat);
	}

	/**
	 * Return how late a check may run and still count as on time: a quarter of the
	 * timeout, at most {@link #MAX_LATENESS}.
	 */
	private Duration lateness() {
		Duration quarter = this.heartbeatTimeout.dividedBy(4);
		return (quarter.compareTo(MAX_LATENESS) < 0) ? quarter : MAX_LATENESS;
	}

	private void checkLiveness() {
		if (this.cancelled) {
			return;
		}
		this.probe.check().whenComplete((result, ex) -> this.supervisor.execute(() -> {
			if (this.cancelled) {
				return;
			}
			boolean ok = result != null && result.ready();
			this.failures = ok ? 0 : this.failures + 1;
			if (this.failures >= this.liveness.failureThreshold()) {
				cancel();
				this.unhealthy.accept("liveness check failed " + this.failures + " times in a row, last: "
						+ this.probe.target() + " -> " + ((result != null) ? result.description() : ex));
			}
			else {
				this.livenessCheck = this.supervisor.schedule(this::checkLiveness, this.liveness.period());
			}
		}));
	}

	/**
	 * Return the time on the monotonic clock; every time this class reads is read here.
	 */
	private static long now() {
		return System.nanoTime();
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
