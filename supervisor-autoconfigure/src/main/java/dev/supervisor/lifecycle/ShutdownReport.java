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

package dev.supervisor.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.supervisor.process.StopOutcome;

/**
 * What one shutdown of the application did: when it began, its budget, how long it took,
 * and how every worker replica was stopped. Published as an application event when the
 * workers are stopped.
 *
 * @param began when the shutdown began (the deadline was fixed)
 * @param budget the shutdown timeout
 * @param took how long the workers took to be gone
 * @param workers how each replica was stopped
 * @author the supervisor authors
 */
public record ShutdownReport(Instant began, Duration budget, Duration took, List<StopOutcome> workers) {

	/**
	 * Return the part of the budget that was not used.
	 * @return the time left, never negative
	 */
	public Duration left() {
		Duration left = this.budget.minus(this.took);
		return left.isNegative() ? Duration.ZERO : left;
	}

}
