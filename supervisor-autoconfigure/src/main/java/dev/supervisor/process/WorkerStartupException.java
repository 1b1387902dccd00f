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
 * Thrown when a replica fails to start while the supervisor starts: the application
 * should not come up without its workers.
 *
 * @author the supervisor authors
 */
public class WorkerStartupException extends RuntimeException {

	private final StartupFailure failure;

	/**
	 * Create an exception for a failure.
	 * @param failure what failed
	 */
	public WorkerStartupException(StartupFailure failure) {
		super(failure.describe());
		this.failure = failure;
	}

	/**
	 * Return what failed.
	 * @return the failure
	 */
	public StartupFailure getFailure() {
		return this.failure;
	}

}
