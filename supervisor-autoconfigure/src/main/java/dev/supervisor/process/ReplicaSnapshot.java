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
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A consistent picture of one replica at one moment.
 *
 * @param worker the worker group
 * @param index the replica index
 * @param state the state
 * @param pid the running process's id, or {@code null} if none runs
 * @param port the replica's port, or 0
 * @param startedAt when the current (or last) process started
 * @param readyAt when it became ready, or {@code null} if it is not ready
 * @param restarts how many times the replica was restarted
 * @param lastExit how its last process ended, or {@code null}
 * @param command the command of the current (or last) process
 * @param status what the replica last said it is doing on the control channel, if
 * anything
 * @param lastLines the last lines it printed (only in {@link Supervisor#snapshot()})
 * @param readiness what its readiness check (a {@code tcp} or {@code http} probe) last
 * saw, or {@code null} if it has none or it has not been made yet
 * @author the supervisor authors
 */
public record ReplicaSnapshot(String worker, int index, ReplicaState state, @Nullable Long pid, int port,
		@Nullable Instant startedAt, @Nullable Instant readyAt, int restarts, @Nullable ExitRecord lastExit,
		List<String> command, @Nullable String status, List<String> lastLines, @Nullable ReadinessCheck readiness) {

	/**
	 * Return how long the current process has been running.
	 * @param now the time now
	 * @return the uptime, or {@code null} if no process runs
	 */
	public @Nullable Duration uptime(Instant now) {
		return (this.pid != null && this.startedAt != null) ? Duration.between(this.startedAt, now) : null;
	}

	ReplicaSnapshot withLastLines(List<String> lines) {
		return new ReplicaSnapshot(this.worker, this.index, this.state, this.pid, this.port, this.startedAt,
				this.readyAt, this.restarts, this.lastExit, this.command, this.status, List.copyOf(lines),
				this.readiness);
	}

	/**
	 * The last attempt of a replica's readiness probe.
	 *
	 * @param check what is probed, for example {@code GET http://127.0.0.1:4711/health}
	 * or {@code connect to 127.0.0.1:4711}
	 * @param lastResult what the last attempt saw, for example {@code HTTP 200},
	 * {@code HTTP 400 "Unsupported upgrade request."}, {@code connection refused} or
	 * {@code timed out after 1000ms}
	 * @param at when the last attempt ended
	 */
	public record ReadinessCheck(String check, String lastResult, Instant at) {

		/**
		 * Describe the check and its last result, for example
		 * {@code GET http://127.0.0.1:4711/health -> HTTP 503}.
		 * @return the description
		 */
		public String describe() {
			return this.check + " -> " + this.lastResult;
		}

	}

}
