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

import java.time.Duration;

import dev.supervisor.shutdown.CancellationToken;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled retry loop of {@code docs/cancellation-token.md}.
 *
 * @author the supervisor authors
 */
@Component
class EchoCheck {

	private final EchoClient echo;

	private final CancellationToken cancel;

	EchoCheck(EchoClient echo, CancellationToken cancel) {
		this.echo = echo;
		this.cancel = cancel;
	}

	@Scheduled(initialDelay = 5_000, fixedDelay = 30_000)
	void check() throws InterruptedException {
		Duration pause = Duration.ofSeconds(1);
		for (int attempt = 1; attempt <= 4; attempt++) {
			if (this.echo.ping()) {
				return;
			}
			// The shutdown cuts the pause short
			if (this.cancel.awaitCancellation(pause)) {
				return;
			}
			pause = pause.multipliedBy(2);
		}
	}

}
