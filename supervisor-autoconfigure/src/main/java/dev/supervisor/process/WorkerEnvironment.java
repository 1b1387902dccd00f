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
 * Names of the environment variables through which a replica learns who it is.
 *
 * @author the supervisor authors
 */
public final class WorkerEnvironment {

	/** The worker group's name. */
	public static final String WORKER = "SUPERVISOR_WORKER";

	/** The replica index, from 0. */
	public static final String REPLICA = "SUPERVISOR_REPLICA";

	/** The replica's port, when it has one. */
	public static final String PORT = "SUPERVISOR_PORT";

	/** The identity of the application that started the replica. */
	public static final String APP = "SUPERVISOR_APP";

	/** The supervising JVM, as {@code pid:start-time}. */
	public static final String OWNER = "SUPERVISOR_OWNER";

	private WorkerEnvironment() {
	}

}
