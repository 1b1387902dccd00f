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

/**
 * Shuts the application down with an exit code, through the application context's normal
 * close, when the supervisor decides the application cannot go on (a worker group gave up
 * with {@code on-give-up: shutdown}). Replace the bean to decide differently.
 *
 * @author the supervisor authors
 */
@FunctionalInterface
public interface ApplicationShutdown {

	/** The exit code of an application shut down because a worker group gave up. */
	int GAVE_UP_EXIT_CODE = 4;

	/**
	 * Shut the application down. Must not block the caller.
	 * @param exitCode the exit code for the JVM
	 * @param reason why, for the log
	 */
	void shutdown(int exitCode, String reason);

}
