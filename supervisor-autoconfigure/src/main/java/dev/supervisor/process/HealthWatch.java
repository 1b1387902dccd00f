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
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Watches a ready replica for signs that it hangs: heartbeats on the control channel that
 * stop coming, or a liveness check that fails too many times in a row. Either makes it
 * unhealthy. Runs on the supervisor's state thread; it looks only when a heartbeat would
 * be overdue or a check is due, never more often.
 *
 * @author the supervisor authors
 */
final class HealthWatch {

	private final Supervisor supervisor;

	private final ChildProcess process;

	private final @Nullable Duration heartbeatTimeout;

	private final @Nullable Liveness liveness;

	private final @Nullable ReadinessProbe probe;

	private final Consumer<String> unhealthy;

	private @Nullable ScheduledFuture<?> heartbeatCheck;

	private @Nullable ScheduledFuture<?> livenessCheck;

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
			this.process.heartbeat();
			this.heartbeatCheck = this.supervisor.schedule(this::checkHeartbeat, this.heartbeatTimeout);
		}
		if (this.liveness != null && this.probe != null) {
			this.livenessCheck = this.supervisor.schedule(this::checkLiveness, this.liveness.period());
		}
	}

	void cancel() {
		this.cancelled = true;
		cancel(this.heartbeatCheck);
		cancel(this.livenessCheck);
	}

	private void checkHeartbeat() {
		if (this.cancelled) {
			return;
		}
		Duration silent = Duration.ofNanos(System.nanoTime() - this.process.lastHeartbeat());
		if (silent.compareTo(this.heartbeatTimeout) >= 0) {
			cancel();
			this.unhealthy.accept("no heartbeat for " + silent.toMillis() + "ms");
		}
		else {
			this.heartbeatCheck = this.supervisor.schedule(this::checkHeartbeat, this.heartbeatTimeout.minus(silent));
		}
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

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
