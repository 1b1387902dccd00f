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
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Why a replica failed to start, with what it needs to be explained.
 *
 * @param worker the worker group
 * @param replica the replica index
 * @param pid the process id, or {@code null} if no process was started
 * @param kind what went wrong
 * @param status the exit status, or {@code null} if it did not exit on its own
 * @param after how long after the start it happened
 * @param command the command that was run
 * @param lastLines the last lines the replica printed
 * @param detail more about it, such as the error the operating system reported
 * @author the supervisor authors
 */
public record StartupFailure(String worker, int replica, @Nullable Long pid, Kind kind, @Nullable ExitStatus status,
		Duration after, List<String> command, List<String> lastLines, @Nullable String detail) {

	/**
	 * Describe the failure in one sentence.
	 * @return the description
	 */
	public String describe() {
		String who = "Worker '" + this.worker + "' replica " + this.replica;
		return switch (this.kind) {
			case EXITED ->
				who + " exited with " + this.status + " before it was ready (after " + this.after.toMillis() + "ms)";
			case TIMED_OUT ->
				who + " was not ready within its startup timeout of " + this.after.toMillis() + "ms and was stopped";
			case NOT_STARTED -> who + " could not be started: " + this.detail;
		};
	}

	@Override
	public String toString() {
		return "StartupFailure[" + describe() + ", command=" + CommandLineMasker.mask(this.command) + "]";
	}

	/**
	 * What went wrong.
	 */
	public enum Kind {

		/** The process exited before it was ready. */
		EXITED,

		/** The process was not ready in time. */
		TIMED_OUT,

		/** No process could be started. */
		NOT_STARTED

	}

}
