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

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the output lines of one worker group that were dropped because they came faster
 * than the log could take them.
 *
 * @author the supervisor authors
 */
public final class OutputStats {

	private final AtomicLong droppedLines = new AtomicLong();

	private final AtomicLong droppedBytes = new AtomicLong();

	private final AtomicBoolean dropping = new AtomicBoolean();

	/**
	 * Return how many lines were dropped.
	 * @return the count
	 */
	public long droppedLines() {
		return this.droppedLines.get();
	}

	/**
	 * Return how many bytes of text were dropped.
	 * @return the count
	 */
	public long droppedBytes() {
		return this.droppedBytes.get();
	}

	/**
	 * Count a dropped line.
	 * @param bytes its length
	 * @return {@code true} if this is the first drop since lines last got through
	 */
	boolean dropped(int bytes) {
		this.droppedLines.incrementAndGet();
		this.droppedBytes.addAndGet(bytes);
		return this.dropping.compareAndSet(false, true);
	}

	/**
	 * Note that the log has caught up.
	 * @return {@code true} if lines were being dropped until now
	 */
	boolean delivered() {
		return this.dropping.compareAndSet(true, false);
	}

}
