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

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A process the {@link StopLadder} can stop: a replica process the supervisor started, or
 * a process left behind by a previous run that it did not start.
 *
 * @author the supervisor authors
 */
interface StopTarget {

	long pid();

	String worker();

	int replica();

	/**
	 * Return what the stop signal goes to: the process group if the process leads one.
	 * @return the target
	 */
	SignalTarget target();

	@Nullable SignalTarget group();

	ControlChannel.@Nullable Registration control();

	boolean isAlive();

	/**
	 * Return how the process ended, if it did and that is known.
	 * @return the status or {@code null}
	 */
	@Nullable ExitStatus exitStatus();

	/**
	 * Return a future completing when the process exits, if that is an event; a process
	 * that is not the supervisor's child can only be watched.
	 * @return the future or {@code null}
	 */
	@Nullable CompletableFuture<?> exited();

	/**
	 * Kill the process itself, at once.
	 */
	void kill();

	/**
	 * Return the process's descendants as the JDK sees them, where there is no
	 * {@code /proc}.
	 * @return the descendants
	 */
	Stream<ProcessHandle> descendants();

	/**
	 * Return whether what the process started is stopped with it: its process group, its
	 * descendants and the processes that carry its markers. A process that the supervisor
	 * did not start is stopped alone, as only it was proven to be ours.
	 * @return {@code true} for a replica process
	 */
	default boolean wholeTree() {
		return true;
	}

	/**
	 * Return the markers that the process's descendants carry in their environment, by
	 * which those that left its process group and its tree are found.
	 * @return the markers, or {@code null} if there are none to search for
	 */
	default MarkerSearch.@Nullable Marks marks() {
		return new MarkerSearch.Marks(worker(), replica());
	}

}
