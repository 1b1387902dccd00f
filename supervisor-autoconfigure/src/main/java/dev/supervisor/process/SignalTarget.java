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
 * Something a signal is sent to: one process, or every member of a process group.
 *
 * @param id the process id, or the process group id
 * @param group whether {@code id} is a process group
 * @author the supervisor authors
 */
record SignalTarget(long id, boolean group) {

	static SignalTarget process(long pid) {
		return new SignalTarget(pid, false);
	}

	static SignalTarget group(long pgid) {
		return new SignalTarget(pgid, true);
	}

	/**
	 * Return the argument {@code kill} takes for this target ({@code -pgid} for a group).
	 * @return the argument
	 */
	String killArgument() {
		return this.group ? "-" + this.id : Long.toString(this.id);
	}

}
