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

import java.time.Duration;

import dev.supervisor.shutdown.CancellationSource;
import dev.supervisor.shutdown.CancellationToken;
import dev.supervisor.shutdown.Deadline;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Cancels the {@link CancellationToken} when the application context starts closing, with
 * the deadline {@code supervisor.shutdown.timeout} from then, for an application whose
 * supervisor is turned off ({@code supervisor.enabled=false}): it supervises nothing, but
 * code that takes the token still learns that the application shuts down.
 *
 * @author the supervisor authors
 */
public class ShutdownCancellation implements ApplicationListener<ContextClosedEvent> {

	private final CancellationSource cancellation = new CancellationSource();

	private final Duration timeout;

	private final ConfigurableApplicationContext context;

	/**
	 * Create a cancellation for a context.
	 * @param timeout the time the shutdown may take
	 * @param context the application context whose closing cancels the token
	 */
	public ShutdownCancellation(Duration timeout, ConfigurableApplicationContext context) {
		this.timeout = timeout;
		this.context = context;
	}

	/**
	 * Return the token that is cancelled when the context starts closing.
	 * @return the token
	 */
	public CancellationToken cancellationToken() {
		return this.cancellation.token();
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			this.cancellation.cancel(Deadline.after(this.timeout));
		}
	}

}
