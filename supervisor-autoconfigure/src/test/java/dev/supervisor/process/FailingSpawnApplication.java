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

import dev.supervisor.testapp.TestApplication;

/**
 * Runs {@link TestApplication} with every replica start failing right after its process
 * was spawned, as the JDK's does when it cannot create the thread that watches a new
 * child: the failure is injected at that point of the launcher, the process is real.
 *
 * @author the supervisor authors
 */
public final class FailingSpawnApplication {

	private FailingSpawnApplication() {
	}

	public static void main(String[] args) {
		ProcessLauncher.afterSpawn = (process) -> {
			throw new OutOfMemoryError("unable to create native thread: injected right after the spawn");
		};
		TestApplication.main(args);
	}

}
