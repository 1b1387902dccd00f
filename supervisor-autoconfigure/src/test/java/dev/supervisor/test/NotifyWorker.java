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

package dev.supervisor.test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.worker.SupervisorConnection;

/**
 * A worker for tests that speaks the control protocol through
 * {@link SupervisorConnection}. Options:
 * <ul>
 * <li>{@code --ready-after=MS}: say READY after this long;</li>
 * <li>{@code --die-after-ready=CODE}: exit with this code right after READY;</li>
 * <li>{@code --status=TEXT}: report a status after READY;</li>
 * <li>{@code --ignore-stop}: do not exit on STOP (the signal follows);</li>
 * <li>{@code --parent-death-work=MS}: when the supervisor dies, work this long, then exit
 * (the watchdog halts it first if the grace period is shorter).</li>
 * </ul>
 *
 * @author the supervisor authors
 */
public final class NotifyWorker {

	private NotifyWorker() {
	}

	public static void main(String[] args) throws Exception {
		long readyAfter = 0;
		Integer dieAfterReady = null;
		String status = null;
		boolean ignoreStop = false;
		long parentDeathWork = 0;
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--ready-after=")) {
				readyAfter = Long.parseLong(value);
			}
			else if (arg.startsWith("--die-after-ready=")) {
				dieAfterReady = Integer.valueOf(value);
			}
			else if (arg.startsWith("--status=")) {
				status = value;
			}
			else if (arg.equals("--ignore-stop")) {
				ignoreStop = true;
			}
			else if (arg.startsWith("--parent-death-work=")) {
				parentDeathWork = Long.parseLong(value);
			}
		}
		SupervisorConnection supervisor = SupervisorConnection.fromEnvironment().orElseThrow();
		boolean exitOnStop = !ignoreStop;
		supervisor.onStop((deadline) -> {
			System.out.println("STOP until " + deadline.toEpochMilli());
			if (exitOnStop) {
				supervisor.stopping();
				System.exit(0);
			}
		});
		long work = parentDeathWork;
		supervisor.onParentDeath(() -> {
			System.out.println("parent gone");
			stand(Duration.ofMillis(work));
			System.exit(0);
		});
		stand(Duration.ofMillis(readyAfter));
		System.out.println("sending READY at " + Instant.now().toEpochMilli());
		supervisor.ready();
		if (dieAfterReady != null) {
			System.exit(dieAfterReady);
		}
		if (status != null) {
			supervisor.status(status);
		}
		new CountDownLatch(1).await();
	}

	/**
	 * Stand in for work that takes the given time.
	 */
	private static void stand(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

}
