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
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Shuts the application down when a worker group configured with
 * {@code on-give-up: shutdown} gives up, so that an orchestrator restarts it.
 * <p>
 * Only an application that is up is shut down: a group that gives up while the supervisor
 * starts fails the start itself (exit code 4, with a failure analysis), and one that
 * gives up after that but before the application context has finished refreshing is acted
 * on once it has. Closing a context from another thread while it refreshes would
 * interrupt the refresh halfway.
 *
 * @author the supervisor authors
 */
public class GiveUpShutdown implements SupervisorListener, ApplicationListener<ContextRefreshedEvent> {

	private final ApplicationShutdown shutdown;

	private final @Nullable ApplicationContext context;

	private boolean refreshed;

	private @Nullable String pending;

	/**
	 * Create an instance that shuts the application down at once.
	 * @param shutdown how the application is shut down
	 */
	public GiveUpShutdown(ApplicationShutdown shutdown) {
		this(shutdown, null);
	}

	/**
	 * Create an instance that shuts the application down once its context has been
	 * refreshed.
	 * @param shutdown how the application is shut down
	 * @param context the application context, or {@code null} to shut down at once
	 */
	public GiveUpShutdown(ApplicationShutdown shutdown, @Nullable ApplicationContext context) {
		this.shutdown = shutdown;
		this.context = context;
		this.refreshed = context == null;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		String reason;
		synchronized (this) {
			this.refreshed = true;
			reason = this.pending;
		}
		if (reason != null) {
			this.shutdown.shutdown(ApplicationShutdown.GAVE_UP_EXIT_CODE, reason);
		}
	}

	@Override
	public void onEvent(SupervisorEvent event) {
		if (event instanceof SupervisorEvent.GroupGaveUp gaveUp && gaveUp.action() == GiveUpAction.SHUTDOWN) {
			String reason = "worker '" + gaveUp.worker() + "' gave up after replica " + gaveUp.replica()
					+ " hit its crash-loop limit";
			synchronized (this) {
				if (!this.refreshed) {
					if (this.pending == null) {
						this.pending = reason;
					}
					return;
				}
			}
			this.shutdown.shutdown(ApplicationShutdown.GAVE_UP_EXIT_CODE, reason);
		}
	}

}
