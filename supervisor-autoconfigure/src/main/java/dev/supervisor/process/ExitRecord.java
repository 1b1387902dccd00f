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

import java.time.Instant;

/**
 * How a replica's last process ended.
 *
 * @param pid the process id
 * @param status the exit status
 * @param cause why it ended
 * @param killed whether the supervisor had to kill it with SIGKILL
 * @param at when it ended
 * @author the supervisor authors
 */
public record ExitRecord(long pid, ExitStatus status, ExitCause cause, boolean killed, Instant at) {

	/**
	 * Return whether the process ended before it was ever ready.
	 * @return {@code true} for a startup failure
	 */
	public boolean startupFailure() {
		return this.cause.startupFailure();
	}

}
