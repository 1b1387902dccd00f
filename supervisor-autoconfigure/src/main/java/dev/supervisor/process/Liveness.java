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

/**
 * A liveness check for a ready replica: its readiness check (TCP or HTTP) repeated every
 * period; after {@code failureThreshold} failures in a row the replica is hung and is
 * restarted through the stop ladder, with cause {@link RestartCause#UNHEALTHY}.
 *
 * @param period the time between checks
 * @param failureThreshold the failures in a row that make a replica hung
 * @param timeout the time one check may take
 * @author the supervisor authors
 */
public record Liveness(Duration period, int failureThreshold, Duration timeout) {

	/**
	 * Validate the values.
	 * @param period the period
	 * @param failureThreshold the threshold
	 * @param timeout the timeout
	 */
	public Liveness {
		if (period.isNegative() || period.isZero() || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Liveness period and timeout must be positive");
		}
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("Liveness failure threshold must be at least 1");
		}
	}

}
