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

import dev.supervisor.process.GiveUpAction;
import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorListener;

/**
 * Shuts the application down when a worker group configured with
 * {@code on-give-up: shutdown} gives up, so that an orchestrator restarts it.
 *
 * @author the supervisor authors
 */
public class GiveUpShutdown implements SupervisorListener {

	private final ApplicationShutdown shutdown;

	/**
	 * Create an instance.
	 * @param shutdown how the application is shut down
	 */
	public GiveUpShutdown(ApplicationShutdown shutdown) {
		this.shutdown = shutdown;
	}

	@Override
	public void onEvent(SupervisorEvent event) {
		if (event instanceof SupervisorEvent.GroupGaveUp gaveUp && gaveUp.action() == GiveUpAction.SHUTDOWN) {
			this.shutdown.shutdown(ApplicationShutdown.GAVE_UP_EXIT_CODE, "worker '" + gaveUp.worker()
					+ "' gave up after replica " + gaveUp.replica() + " hit its crash-loop limit");
		}
	}

}
