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

package dev.supervisor.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.ReplicaState;
import dev.supervisor.process.Supervisor;
import dev.supervisor.shutdown.CancellationToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job with a retry loop that stops at shutdown: every 30 seconds it pings
 * each ready echo replica, retrying a replica that does not answer with a growing pause.
 * The pause is {@link CancellationToken#awaitCancellation(Duration)}, so a shutdown cuts
 * it short instead of holding the application up.
 *
 * @author the supervisor authors
 */
@Component
class EchoCheck {

	private static final Log logger = LogFactory.getLog(EchoCheck.class);

	private static final int ATTEMPTS = 4;

	private final ObjectProvider<Supervisor> supervisor;

	private final CancellationToken cancel;

	private final AtomicBoolean toldNothingToDo = new AtomicBoolean();

	EchoCheck(ObjectProvider<Supervisor> supervisor, CancellationToken cancel) {
		this.supervisor = supervisor;
		this.cancel = cancel;
	}

	@Scheduled(initialDelay = 5_000, fixedDelay = 30_000)
	void check() throws InterruptedException {
		Supervisor supervisor = this.supervisor.getIfAvailable();
		if (supervisor == null || !supervisor.workers().contains("echo")) {
			// Run without the echo group (or without workers): nothing to check, say so
			// once
			if (this.toldNothingToDo.compareAndSet(false, true)) {
				logger.info("No 'echo' workers run; the echo check has nothing to do");
			}
			return;
		}
		for (ReplicaSnapshot replica : supervisor.snapshot("echo").replicas()) {
			if (replica.state() == ReplicaState.READY && !check(replica)) {
				return;
			}
		}
	}

	/**
	 * Ping a replica, with retries.
	 * @return {@code false} if the application is shutting down
	 */
	private boolean check(ReplicaSnapshot replica) throws InterruptedException {
		Duration pause = Duration.ofSeconds(1);
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			if (ping(replica.port())) {
				logger.debug("echo-" + replica.index() + " answered");
				return true;
			}
			if (attempt < ATTEMPTS) {
				logger.info("echo-" + replica.index() + " did not answer; trying again in " + pause.toSeconds() + "s");
			}
			if (this.cancel.awaitCancellation(pause)) {
				logger.info("Echo check stopped: the application is shutting down");
				return false;
			}
			pause = pause.multipliedBy(2);
		}
		logger.warn("echo-" + replica.index() + " did not answer " + ATTEMPTS + " pings");
		return true;
	}

	private static boolean ping(int port) {
		try {
			String answer = EchoClient.ask(port, "ping");
			return answer != null && answer.startsWith("ping");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
