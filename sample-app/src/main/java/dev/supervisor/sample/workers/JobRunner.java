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

package dev.supervisor.sample.workers;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.worker.SupervisorConnection;

/**
 * A worker that runs jobs one after another. It talks to its supervisor over the control
 * channel: it says when it is ready, reports the job at hand as its status, sends
 * heartbeats, and when asked to stop (or when its supervisor dies) it finishes the job at
 * hand before it exits. Without a supervisor it still runs, stopping on SIGTERM.
 *
 * @author the supervisor authors
 */
public final class JobRunner {

	private static final Duration JOB = Duration.ofSeconds(3);

	private JobRunner() {
	}

	public static void main(String[] args) throws IOException {
		AtomicBoolean stopping = new AtomicBoolean();
		Thread main = Thread.currentThread();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			if (stopping.compareAndSet(false, true)) {
				System.out.println("stop requested; finishing the current job");
			}
			try {
				main.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		SupervisorConnection supervisor = SupervisorConnection.fromEnvironment().orElse(null);
		if (supervisor != null) {
			supervisor.onStop((deadline) -> {
				if (stopping.compareAndSet(false, true)) {
					System.out.println("stop requested; finishing the current job before " + deadline);
				}
			});
			supervisor.onParentDeath(() -> {
				stopping.set(true);
				System.out.println("supervisor gone; finishing the current job");
			});
		}
		System.out.println("job runner ready");
		if (supervisor != null) {
			supervisor.ready();
		}
		for (int job = 1; !stopping.get(); job++) {
			System.out.println("running job " + job);
			if (supervisor != null) {
				supervisor.status("running job " + job);
			}
			long end = System.nanoTime() + JOB.toNanos();
			while (System.nanoTime() < end) {
				// Stands in for real work
				LockSupport.parkNanos(end - System.nanoTime());
			}
		}
		if (supervisor != null) {
			supervisor.stopping();
		}
		System.out.println("job runner stopped");
	}

}
