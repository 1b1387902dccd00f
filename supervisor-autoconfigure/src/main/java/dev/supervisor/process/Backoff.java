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
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter between restarts of a replica.
 *
 * @param initial the delay before the first restart within the crash-loop window
 * @param max the longest delay
 * @param multiplier the factor applied for every further restart within the window
 * @param jitter the fraction (0 to 1) by which a delay is randomly shortened or
 * lengthened, so replicas that failed together do not restart in lockstep
 * @author the supervisor authors
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

	/**
	 * Validate the values.
	 * @param initial the first delay
	 * @param max the longest delay
	 * @param multiplier the growth factor
	 * @param jitter the random fraction
	 */
	public Backoff {
		if (initial.isNegative() || max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("Backoff needs 0 <= initial <= max");
		}
		if (multiplier < 1) {
			throw new IllegalArgumentException("Backoff multiplier must be at least 1");
		}
		if (jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException("Backoff jitter must be between 0 and 1");
		}
	}

	/**
	 * Return the delay before a restart.
	 * @param attempt how many restarts already happened within the window (0 for the
	 * first)
	 * @param random a source of numbers in {@code [0, 1)}
	 * @return the delay, never more than {@link #max()}
	 */
	public Duration delay(int attempt, DoubleSupplier random) {
		double base = this.initial.toNanos() * Math.pow(this.multiplier, Math.max(0, attempt));
		double capped = Math.min(base, this.max.toNanos());
		double jittered = capped * (1 + this.jitter * (2 * random.getAsDouble() - 1));
		return Duration.ofNanos((long) Math.min(Math.max(jittered, 0), this.max.toNanos()));
	}

}
