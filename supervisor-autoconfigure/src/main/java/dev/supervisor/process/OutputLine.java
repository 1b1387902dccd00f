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
 * One line a replica printed.
 *
 * @param worker the worker group
 * @param replica the replica index
 * @param pid the process id
 * @param stream which stream it came from
 * @param text the line, without its line terminator
 * @param truncated whether the line was longer than the configured maximum and was cut
 * @author the supervisor authors
 */
public record OutputLine(String worker, int replica, long pid, Stream stream, String text, boolean truncated) {

	/**
	 * The standard stream a line came from.
	 */
	public enum Stream {

		/** Standard output. */
		OUT,

		/** Standard error. */
		ERR

	}

}
