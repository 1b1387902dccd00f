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
 * Where replica output lines go when their worker's output mode is {@code LOG}. Called
 * from a single thread, in the order lines were read per replica stream.
 *
 * @author the supervisor authors
 */
public interface OutputSink {

	/**
	 * Return whether lines of the given worker would be written at all, so that lines
	 * nobody reads are not queued.
	 * @param worker the worker group
	 * @return {@code true} if lines are wanted
	 */
	boolean isEnabled(String worker);

	/**
	 * Write a line.
	 * @param line the line
	 */
	void write(OutputLine line);

}
