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
 * @param requestedAt when the stop was requested
 * @param stopMessage whether the graceful request was a {@code STOP} message on the
 * control channel rather than a signal
 * @param askedAt when the graceful request went out (the {@code STOP} message was
 * written, or the stop signal sent), or {@code null} if nothing was left to ask
 * @param signalledAt when the stop signal was sent (the {@code kill} call returned), or
 * {@code null} if it was not
 * @param exitedAt when the process was seen to exit, or {@code null} if it had already
 * exited before the stop began
 * @param killedAt when SIGKILL went out to the tree (as the first {@code kill} call of
 * its wave was made), or {@code null} if it was not needed
 * @param status how the process ended
 * @param took how long the stop took, from the request until everything was gone
 * @param leftovers processes of the tree still seen after the reap bound (normally none)
 * @param foundByMarkers processes that had left the replica's process group and its tree,
 * found by the markers in their environment and stopped with it
 * @author the supervisor authors
 */
public record StopOutcome(String worker, int replica, long pid, Instant requestedAt, boolean stopMessage,
		@Nullable Instant askedAt, @Nullable Instant signalledAt, @Nullable Instant exitedAt,
		@Nullable Instant killedAt, @Nullable ExitStatus status, Duration took, List<Long> leftovers,
		List<Long> foundByMarkers) {

	/**
	 * Copy the lists.
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param pid the process id
	 * @param requestedAt when the stop was requested
	 * @param stopMessage whether the request was a {@code STOP} message
	 * @param askedAt when the request went out
	 * @param signalledAt when the signal was sent
	 * @param exitedAt when the process exited
	 * @param killedAt when SIGKILL was sent
	 * @param status how it ended
	 * @param took how long it took
	 * @param leftovers processes still seen after the reap bound
	 * @param foundByMarkers processes found by their markers
	 */
	public StopOutcome {
		leftovers = List.copyOf(leftovers);
		foundByMarkers = List.copyOf(foundByMarkers);
	}

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
