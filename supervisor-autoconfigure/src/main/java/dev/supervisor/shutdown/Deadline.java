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
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A point in time by which something must be finished, measured on the monotonic clock
 * ({@link System#nanoTime()}) so that wall-clock adjustments cannot stretch or shrink it.
 *
 * @author the supervisor authors
 */
public final class Deadline implements Comparable<Deadline> {

	private final long nanos;

	private final Instant instant;

	private Deadline(long nanos, Instant instant) {
		this.nanos = nanos;
		this.instant = instant;
	}

	/**
	 * Return a deadline the given duration from now.
	 * @param duration the time until the deadline
	 * @return the deadline
	 */
	public static Deadline after(Duration duration) {
		Objects.requireNonNull(duration, "'duration' must not be null");
		long now = System.nanoTime();
		return new Deadline(now + saturatedNanos(duration), Instant.now().plus(duration));
	}

	/**
	 * Return the earlier of this deadline and the given one.
	 * @param other the other deadline
	 * @return the earlier deadline
	 */
	public Deadline earlierOf(Deadline other) {
		return (compareTo(other) <= 0) ? this : other;
	}

	/**
	 * Return the time left until the deadline, never negative.
	 * @return the remaining time
	 */
	public Duration remaining() {
		long left = this.nanos - System.nanoTime();
		return (left > 0) ? Duration.ofNanos(left) : Duration.ZERO;
	}

	/**
	 * Return whether the deadline has passed.
	 * @return {@code true} if no time is left
	 */
	public boolean hasPassed() {
		return this.nanos - System.nanoTime() <= 0;
	}

	/**
	 * Return the wall-clock instant of the deadline, for reports.
	 * @return the instant
	 */
	public Instant instant() {
		return this.instant;
	}

	@Override
	public int compareTo(Deadline other) {
		return Long.compare(this.nanos - other.nanos, 0);
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj instanceof Deadline other) && this.nanos == other.nanos;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.nanos);
	}

	@Override
	public String toString() {
		return "Deadline " + this.instant + " (in " + remaining().toMillis() + "ms)";
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

}
