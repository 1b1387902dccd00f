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
 * Why a replica process ended.
 *
 * @author the supervisor authors
 */
public enum ExitCause {

	/** It ended with exit code 0 after it was ready. */
	COMPLETED,

	/** It failed (non-zero exit code or a signal) after it was ready. */
	CRASHED,

	/** It ended before it was ever ready. */
	STARTUP_FAILED,

	/** It was not ready within its startup timeout and was stopped. */
	STARTUP_TIMEOUT,

	/** It was found unhealthy and was stopped. */
	UNHEALTHY,

	/** The supervisor stopped it: shutdown, restart or scale-down. */
	STOPPED;

	/**
	 * Return whether this cause is a failure to start, as opposed to a runtime death.
	 * @return {@code true} for startup failures and startup timeouts
	 */
	public boolean startupFailure() {
		return this == STARTUP_FAILED || this == STARTUP_TIMEOUT;
	}

	/**
	 * Return the cause as a tag value, for example {@code startup-failed}.
	 * @return the tag value
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
