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

/**
 * Where a replica is in its life.
 *
 * @author the supervisor authors
 */
public enum ReplicaState {

	/** Not started yet. */
	PENDING,

	/** Its process runs but is not ready yet. */
	STARTING,

	/** Its process runs and is ready. */
	READY,

	/** Waiting before it is started again. */
	BACKOFF,

	/** Being stopped through the stop ladder. */
	STOPPING,

	/** Stopped by the supervisor. */
	STOPPED,

	/** Ended on its own and, by its restart policy, not started again. */
	EXITED,

	/**
	 * Given up on: it failed to start while the application started, or hit the
	 * crash-loop limit.
	 */
	FAILED;

	/**
	 * Return whether a replica in this state has a running process.
	 * @return {@code true} for starting, ready and stopping replicas
	 */
	public boolean hasProcess() {
		return this == STARTING || this == READY || this == STOPPING;
	}

}
