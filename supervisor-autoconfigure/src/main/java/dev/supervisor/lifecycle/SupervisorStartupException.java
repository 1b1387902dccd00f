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

import dev.supervisor.process.StartupFailure;
import dev.supervisor.process.WorkerStartupException;

import org.springframework.boot.ExitCodeGenerator;

/**
 * Thrown when a worker fails to start while the application starts. The application does
 * not come up without its workers, and the JVM exits with {@value #EXIT_CODE}, or with
 * {@value ApplicationShutdown#GAVE_UP_EXIT_CODE} when a worker group gave up at its
 * crash-loop limit before the application was up.
 *
 * @author the supervisor authors
 */
public class SupervisorStartupException extends RuntimeException implements ExitCodeGenerator {

	/** The exit code of an application whose workers failed to start. */
	public static final int EXIT_CODE = 3;

	private final StartupFailure failure;

	/**
	 * Create an exception for a worker that failed to start.
	 * @param cause the engine's report
	 */
	public SupervisorStartupException(WorkerStartupException cause) {
		super(cause.getMessage(), cause);
		this.failure = cause.getFailure();
	}

	/**
	 * Return what failed.
	 * @return the failure
	 */
	public StartupFailure getFailure() {
		return this.failure;
	}

	/**
	 * Return the exit code: {@value #EXIT_CODE} for a worker that failed to start,
	 * {@value ApplicationShutdown#GAVE_UP_EXIT_CODE} for a worker group that gave up at
	 * its crash-loop limit while the application was starting, as it would have after.
	 * @return the exit code
	 */
	@Override
	public int getExitCode() {
		return (this.failure.kind() == StartupFailure.Kind.GAVE_UP) ? ApplicationShutdown.GAVE_UP_EXIT_CODE : EXIT_CODE;
	}

}
