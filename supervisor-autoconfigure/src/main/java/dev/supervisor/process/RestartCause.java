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
 * Why a replica is restarted.
 *
 * @author the supervisor authors
 */
public enum RestartCause {

	/** It failed after it was ready. */
	CRASH,

	/** It ended successfully and its restart policy is {@code always}. */
	EXIT,

	/** A replacement ended, or timed out, before it was ready. */
	STARTUP_FAILURE,

	/** It stopped answering its liveness check or heartbeats. */
	UNHEALTHY,

	/** Someone asked for it, for example through the actuator endpoint. */
	MANUAL;

	/**
	 * Return the cause as a tag value, for example {@code startup-failure}.
	 * @return the tag value
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
