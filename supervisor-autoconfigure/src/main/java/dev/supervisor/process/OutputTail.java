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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines a replica printed, kept for failure reports and the actuator endpoint.
 *
 * @author the supervisor authors
 */
final class OutputTail {

	private final int capacity;

	private final Deque<String> lines;

	OutputTail(int capacity) {
		this.capacity = capacity;
		this.lines = new ArrayDeque<>(Math.min(capacity, 64));
	}

	synchronized void add(String line) {
		if (this.capacity == 0) {
			return;
		}
		if (this.lines.size() == this.capacity) {
			this.lines.removeFirst();
		}
		this.lines.addLast(line);
	}

	synchronized List<String> lines() {
		return new ArrayList<>(this.lines);
	}

}
