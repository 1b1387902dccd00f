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
 * The crash-loop limit: at most {@code maxRestarts} restarts of one replica within
 * {@code window}. One more and the worker group gives up.
 *
 * @param maxRestarts the number of restarts allowed within the window
 * @param window the sliding window
 * @author the supervisor authors
 */
public record CrashLoopLimit(int maxRestarts, Duration window) {

	/**
	 * Validate the values.
	 * @param maxRestarts the restarts allowed
	 * @param window the window
	 */
	public CrashLoopLimit {
		if (maxRestarts < 0) {
			throw new IllegalArgumentException("maxRestarts must not be negative");
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive");
		}
	}

}
