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

import java.util.Locale;

/**
 * Why a replica is restarted. A restart that follows a death is tagged with the same word
 * as the death's {@link ExitCause}, so that {@code supervisor.child.restarts} and
 * {@code supervisor.child.exits} share one vocabulary.
 *
 * @author the supervisor authors
 */
public enum RestartCause {

	/** It failed (non-zero exit code or a signal) after it was ready. */
	CRASHED,

	/**
	 * It ended with exit code 0 after it was ready, and its restart policy is
	 * {@code always}.
	 */
	COMPLETED,

	/** A replacement ended, or could not be started, before it was ready. */
	STARTUP_FAILED,

	/** A replacement was not ready within its startup timeout and was stopped. */
	STARTUP_TIMEOUT,

	/** It stopped answering its liveness check or heartbeats. */
	UNHEALTHY,

	/** Someone asked for it, for example through the actuator endpoint. */
	MANUAL;

	/**
	 * Return the cause as a tag value, for example {@code startup-failed}.
	 * @return the tag value
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
