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
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.WorkerStartupException;
import dev.supervisor.shutdown.Deadline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the workers when the application context starts and stops them when it closes.
 * <p>
 * It runs in the phase in which Spring Boot shuts the web server down gracefully
 * ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}), so that the workers and
 * in-flight requests drain at the same time. The web server therefore accepts connections
 * before the workers are started; readiness keeps traffic away meanwhile.
 * <p>
 * Starting blocks until every replica was ready once. A replica that fails before it is
 * ready fails the application start: everything started is stopped and a
 * {@link SupervisorStartupException} (exit code 3) is thrown.
 *
 * @author the supervisor authors
 */
public class SupervisorLifecycle implements SmartLifecycle {

	/**
	 * The phase of this lifecycle: the phase in which the web server shuts down
	 * gracefully ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private static final Log logger = LogFactory.getLog(SupervisorLifecycle.class);

	private final Supervisor supervisor;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	/**
	 * Create a lifecycle for a supervisor.
	 * @param supervisor the supervisor
	 * @param shutdownTimeout the time a shutdown may take
	 */
	public SupervisorLifecycle(Supervisor supervisor, Duration shutdownTimeout) {
		this.supervisor = supervisor;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		List<String> workers = this.supervisor.workers();
		if (workers.isEmpty()) {
			this.running = true;
			return;
		}
		long began = System.nanoTime();
		logger.info("Starting workers " + workers);
		try {
			this.supervisor.start().get();
		}
		catch (ExecutionException ex) {
			stopAfterFailedStart();
			if (ex.getCause() instanceof WorkerStartupException failure) {
				throw new SupervisorStartupException(failure);
			}
			throw new IllegalStateException("Workers could not be started", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stopAfterFailedStart();
			throw new IllegalStateException("Interrupted while starting workers", ex);
		}
		this.running = true;
		int replicas = this.supervisor.snapshot().stream().mapToInt(GroupSnapshot::ready).sum();
		logger.info("All " + replicas + " replicas of " + workers.size() + " workers ready in "
				+ Duration.ofNanos(System.nanoTime() - began).toMillis() + "ms");
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		this.supervisor.stop(Deadline.after(this.shutdownTimeout)).whenComplete((outcomes, ex) -> callback.run());
	}

	@Override
	public void stop() {
		this.running = false;
		await(this.supervisor.stop(Deadline.after(this.shutdownTimeout)));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void stopAfterFailedStart() {
		await(this.supervisor.stop(Deadline.after(this.shutdownTimeout)));
	}

	private void await(java.util.concurrent.CompletableFuture<?> stop) {
		try {
			stop.get(this.shutdownTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Workers could not all be stopped: " + ex);
		}
	}

}
