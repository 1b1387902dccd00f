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

package dev.supervisor.testapp;

import java.time.Duration;

import dev.supervisor.shutdown.CancellationToken;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * A scheduled job with a retry loop that stops at shutdown through the injected
 * {@link CancellationToken}, the way docs/cancellation-token.md shows it.
 *
 * @author the supervisor authors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("testapp.scheduled-job")
@EnableScheduling
public class ScheduledJob {

	private final CancellationToken cancel;

	ScheduledJob(CancellationToken cancel) {
		this.cancel = cancel;
	}

	/**
	 * Try something every 200ms for up to a minute; stop at once when the application
	 * shuts down.
	 * @throws InterruptedException if interrupted, which this job does not expect: the
	 * token stops it first
	 */
	@Scheduled(fixedDelay = 60_000)
	void retryUntilShutdown() throws InterruptedException {
		System.out.println("scheduled job started");
		long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		int attempts = 0;
		while (System.nanoTime() < end) {
			attempts++;
			if (this.cancel.awaitCancellation(Duration.ofMillis(200))) {
				System.out.println("scheduled job stopped by the token after " + attempts + " attempts, "
						+ this.cancel.remaining().toMillis() + "ms before the deadline");
				return;
			}
		}
		System.out.println("scheduled job ran its full minute");
	}

}
