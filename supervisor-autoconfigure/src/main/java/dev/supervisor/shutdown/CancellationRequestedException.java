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

package dev.supervisor.shutdown;

import java.time.Duration;
import java.time.Instant;

/**
 * Thrown by {@link CancellationToken#throwIfCancellationRequested()} once the application
 * is shutting down.
 *
 * @author the supervisor authors
 */
public class CancellationRequestedException extends RuntimeException {

	private final Instant deadline;

	private final Duration remaining;

	/**
	 * Create an exception for a shutdown with the given deadline.
	 * @param deadline when the shutdown must be finished
	 * @param remaining the time left at the moment of the exception
	 */
	public CancellationRequestedException(Instant deadline, Duration remaining) {
		super("The application is shutting down (deadline " + deadline + ")");
		this.deadline = deadline;
		this.remaining = remaining;
	}

	/**
	 * Return when the shutdown must be finished.
	 * @return the deadline
	 */
	public Instant getDeadline() {
		return this.deadline;
	}

	/**
	 * Return the time that was left until the deadline when this was thrown.
	 * @return the time left
	 */
	public Duration getRemaining() {
		return this.remaining;
	}

}
