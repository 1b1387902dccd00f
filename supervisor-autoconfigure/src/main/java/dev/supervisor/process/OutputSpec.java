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
 * Where a replica's standard output and error go.
 *
 * @param mode the destination
 * @param separateStderr whether standard error is read apart from standard output (a
 * second pump thread per replica, and the stream in each line) instead of merged into it
 * @param maxLineLength the longest line kept, in bytes; the rest of a longer line is
 * dropped and the line is marked as truncated
 * @param tailLines how many of the last lines are kept for failure reports
 * @param overflow what happens when the replica prints faster than logging can take
 * @author the supervisor authors
 */
public record OutputSpec(Mode mode, boolean separateStderr, int maxLineLength, int tailLines, Overflow overflow) {

	/**
	 * Output logged with standard error merged into standard output, at most 8 KiB per
	 * line, the last 50 lines kept, lines dropped on overflow.
	 */
	public static final OutputSpec DEFAULT = new OutputSpec(Mode.LOG, false, 8192, 50, Overflow.DROP);

	/**
	 * Validate the values.
	 * @param mode the destination
	 * @param separateStderr whether standard error is read apart
	 * @param maxLineLength the longest line
	 * @param tailLines lines kept
	 * @param overflow the overflow policy
	 */
	public OutputSpec {
		if (maxLineLength < 1 || tailLines < 0) {
			throw new IllegalArgumentException("maxLineLength must be positive and tailLines not negative");
		}
	}

	/**
	 * The destination of a replica's output.
	 */
	public enum Mode {

		/** Each line goes to a logger named after the worker, with MDC. */
		LOG,

		/** The replica writes straight to the application's own stdout and stderr. */
		INHERIT,

		/** Output is thrown away. */
		DISCARD

	}

	/**
	 * What to do when a replica prints faster than the log can take its lines.
	 */
	public enum Overflow {

		/** Drop lines and count them; the replica is never blocked. */
		DROP,

		/** Wait for the log, which eventually blocks the replica on a full pipe. */
		BLOCK

	}

}
