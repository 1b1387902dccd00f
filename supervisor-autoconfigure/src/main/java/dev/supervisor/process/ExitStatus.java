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

import org.jspecify.annotations.Nullable;

/**
 * How a process ended: its exit code, or the signal that killed it. The JDK reports a
 * process killed by signal {@code n} as exit code {@code 128 + n}, the same convention as
 * POSIX shells, so a code above 128 is described as that signal.
 *
 * @param code the exit code as reported by {@link Process#exitValue()}
 * @author the supervisor authors
 */
public record ExitStatus(int code) {

	/**
	 * Return whether the process ended successfully (exit code 0).
	 * @return {@code true} on success
	 */
	public boolean success() {
		return this.code == 0;
	}

	/**
	 * Return the signal that killed the process, if the exit code says so.
	 * @return the signal or {@code null}
	 */
	public @Nullable Signal signal() {
		return (this.code > 128) ? Signal.ofNumber(this.code - 128) : null;
	}

	/**
	 * Describe the status for people, for example {@code exit code 1} or
	 * {@code signal SIGKILL}.
	 * @return the description
	 */
	public String describe() {
		Signal signal = signal();
		return (signal != null) ? "signal " + signal.signalName() : "exit code " + this.code;
	}

	@Override
	public String toString() {
		return describe();
	}

}
