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
 * Why a replica failed to start, or why its group gave up while the application was
 * starting, with what it needs to be explained.
 *
 * @param worker the worker group
 * @param replica the replica index
 * @param pid the process id (of the last process for {@link Kind#GAVE_UP}), or
 * {@code null} if no process was started
 * @param kind what went wrong
 * @param status the exit status, or {@code null} if it did not exit on its own
 * @param after how long after the start it happened
 * @param command the command that was run
 * @param lastLines the last lines the replica printed
 * @param detail more about it, such as the error the operating system reported
 * @param readiness what the replica's readiness probe last saw, if it has one and it was
 * made
 * @param crashLoop for {@link Kind#GAVE_UP}: the limit that was hit and the exits that
 * counted towards it
 * @author the supervisor authors
 */
public record StartupFailure(String worker, int replica, @Nullable Long pid, Kind kind, @Nullable ExitStatus status,
		Duration after, List<String> command, List<String> lastLines, @Nullable String detail,
		ReplicaSnapshot.@Nullable ReadinessCheck readiness, @Nullable CrashLoop crashLoop) {

	/**
	 * Create a failure without a readiness check or crash loop to tell of.
	 * @param worker the worker group
	 * @param replica the replica index
	 * @param pid the process id, or {@code null} if no process was started
	 * @param kind what went wrong
	 * @param status the exit status, or {@code null} if it did not exit on its own
	 * @param after how long after the start it happened
	 * @param command the command that was run
	 * @param lastLines the last lines the replica printed
	 * @param detail more about it, such as the error the operating system reported
	 */
	public StartupFailure(String worker, int replica, @Nullable Long pid, Kind kind, @Nullable ExitStatus status,
			Duration after, List<String> command, List<String> lastLines, @Nullable String detail) {
		this(worker, replica, pid, kind, status, after, command, lastLines, detail, null, null);
	}

	/**
	 * Describe the failure in one sentence. The log line that reports the failure and the
	 * failure analysis both say it.
	 * @return the description
	 */
	public String describe() {
		String who = "Worker '" + this.worker + "' replica " + this.replica;
		return switch (this.kind) {
			case EXITED ->
				who + " exited with " + this.status + " before it was ready (after " + this.after.toMillis() + "ms)";
			case TIMED_OUT -> who + " was not ready within its startup timeout of " + this.after.toMillis() + "ms"
					+ ((this.readiness != null) ? "; last readiness check: " + this.readiness.describe() : "");
			case NOT_STARTED -> who + " could not be started: " + this.detail;
			case GAVE_UP -> "Worker '" + this.worker + "' gave up while the application was starting: replica "
					+ this.replica + gaveUp();
		};
	}

	@Override
	public String toString() {
		return "StartupFailure[" + describe() + ", command=" + CommandLineMasker.mask(this.command) + "]";
	}

	private String gaveUp() {
		if (this.crashLoop == null) {
			return " failed too often";
		}
		CrashLoopLimit limit = this.crashLoop.limit();
		return " was restarted " + limit.maxRestarts() + " times within " + limit.window().toSeconds()
				+ "s and failed again" + ((this.status != null) ? " (" + this.status + ")" : "");
	}

	/**
	 * A crash loop that made a worker group give up.
	 *
	 * @param limit the limit that was hit
	 * @param exits how the replica's processes ended within the limit's window, oldest
	 * first
	 */
	public record CrashLoop(CrashLoopLimit limit, List<ExitRecord> exits) {
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
		NOT_STARTED,

		/**
		 * The replica was ready, then failed so often while the application was still
		 * starting that its group gave up.
		 */
		GAVE_UP

	}

}
