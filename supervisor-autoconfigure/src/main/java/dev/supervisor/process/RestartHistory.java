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

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The restarts of one replica within the crash-loop window, on the monotonic clock. The
 * count drives both the backoff delay and the crash-loop limit, so a replica that has
 * been stable for a window starts again from the initial delay.
 *
 * @author the supervisor authors
 */
final class RestartHistory {

	private final CrashLoopLimit limit;

	private final Deque<Long> restarts = new ArrayDeque<>();

	RestartHistory(CrashLoopLimit limit) {
		this.limit = limit;
	}

	/**
	 * Return how many restarts happened within the window ending now.
	 * @param nowNanos the monotonic time now
	 * @return the count
	 */
	int recent(long nowNanos) {
		long windowNanos = this.limit.window().toNanos();
		while (!this.restarts.isEmpty() && nowNanos - this.restarts.peekFirst() >= windowNanos) {
			this.restarts.removeFirst();
		}
		return this.restarts.size();
	}

	/**
	 * Return whether one more restart now would exceed the limit.
	 * @param nowNanos the monotonic time now
	 * @return {@code true} if the group has to give up instead
	 */
	boolean wouldExceed(long nowNanos) {
		return recent(nowNanos) >= this.limit.maxRestarts();
	}

	void record(long nowNanos) {
		this.restarts.addLast(nowNanos);
	}

	void clear() {
		this.restarts.clear();
	}

}
