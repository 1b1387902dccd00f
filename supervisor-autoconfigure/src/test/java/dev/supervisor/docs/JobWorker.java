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

package dev.supervisor.docs;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.supervisor.worker.SupervisorConnection;

/**
 * The Java worker of {@code docs/notify.md}.
 *
 * @author the supervisor authors
 */
final class JobWorker {

	private final AtomicBoolean stopping = new AtomicBoolean();

	void run(String job) throws IOException {
		// Empty outside a supervisor
		SupervisorConnection supervisor = SupervisorConnection.fromEnvironment().orElse(null);
		if (supervisor != null) {
			supervisor.onStop((deadline) -> stopping.set(true)); // STOP arrived
			supervisor.onParentDeath(() -> stopping.set(true)); // the supervisor died
			supervisor.ready();
			supervisor.status("running job " + job);
		}
	}

	boolean stopping() {
		return this.stopping.get();
	}

}
