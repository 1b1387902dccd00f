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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * What happened when one replica process was stopped through the ladder.
 *
 * @param worker the worker group
 * @param replica the replica index
 * @param pid the process id
 * @param requestedAt when the graceful request was made
 * @param stopMessage whether the graceful request was a {@code STOP} message on the
 * control channel rather than a signal
 * @param signalledAt when the stop signal was sent, or {@code null} if it was not
 * @param exitedAt when the process was seen to exit, or {@code null} if it had already
 * exited before the stop began
 * @param killedAt when SIGKILL was sent to the tree, or {@code null} if it was not needed
 * @param status how the process ended
 * @param took how long the stop took, from the request until everything was gone
 * @param leftovers processes of the tree still seen after the reap bound (normally none)
 * @author the supervisor authors
 */
public record StopOutcome(String worker, int replica, long pid, Instant requestedAt, boolean stopMessage,
		@Nullable Instant signalledAt, @Nullable Instant exitedAt, @Nullable Instant killedAt,
		@Nullable ExitStatus status, Duration took, List<Long> leftovers) {

	/**
	 * Return whether the tree had to be killed because the deadline passed.
	 * @return {@code true} if SIGKILL was sent
	 */
	public boolean killed() {
		return this.killedAt != null;
	}

	/**
	 * Gather the outcomes of stops that may have stopped nothing.
	 * @param stops the stops
	 * @return a future completing once all are done, with the outcome of each that
	 * stopped a process
	 */
	static CompletableFuture<List<StopOutcome>> collect(List<CompletableFuture<@Nullable StopOutcome>> stops) {
		return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).handle((done, ex) -> {
			List<StopOutcome> outcomes = new ArrayList<>();
			for (CompletableFuture<@Nullable StopOutcome> stop : stops) {
				StopOutcome outcome = stop.isCompletedExceptionally() ? null : stop.getNow(null);
				if (outcome != null) {
					outcomes.add(outcome);
				}
			}
			return List.copyOf(outcomes);
		});
	}

}
