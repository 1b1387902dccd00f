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

/**
 * Something that happened to a replica or a worker group. Listeners receive events in the
 * order they happened, on the supervisor's own thread.
 *
 * @author the supervisor authors
 */
public sealed interface SupervisorEvent {

	/**
	 * Return the worker group concerned.
	 * @return the group's name
	 */
	String worker();

	/**
	 * Return when it happened.
	 * @return the instant
	 */
	Instant at();

	/**
	 * A replica process was started.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param pid the process id
	 * @param at when
	 */
	record ReplicaStarted(String worker, int replica, long pid, Instant at) implements SupervisorEvent {
	}

	/**
	 * A replica became ready.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param pid the process id
	 * @param startup the time from start to ready
	 * @param at when
	 */
	record ReplicaReady(String worker, int replica, long pid, Duration startup, Instant at) implements SupervisorEvent {
	}

	/**
	 * A replica process ended.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param exit how and why it ended
	 * @param at when
	 */
	record ReplicaExited(String worker, int replica, ExitRecord exit, Instant at) implements SupervisorEvent {
	}

	/**
	 * A replica will be started again.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param cause why
	 * @param delay the backoff before it starts
	 * @param at when the restart was decided
	 */
	record ReplicaRestarting(String worker, int replica, RestartCause cause, Duration delay,
			Instant at) implements SupervisorEvent {
	}

	/**
	 * A worker group gave up after a replica hit the crash-loop limit.
	 *
	 * @param worker the worker group
	 * @param replica the replica that hit the limit
	 * @param limit the limit that was hit
	 * @param action what happens now
	 * @param at when
	 */
	record GroupGaveUp(String worker, int replica, CrashLoopLimit limit, GiveUpAction action,
			Instant at) implements SupervisorEvent {
	}

}
