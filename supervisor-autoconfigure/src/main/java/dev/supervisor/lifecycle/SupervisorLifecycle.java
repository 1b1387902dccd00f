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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.StopOutcome;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.WorkerStartupException;
import dev.supervisor.shutdown.CancellationSource;
import dev.supervisor.shutdown.CancellationToken;
import dev.supervisor.shutdown.Deadline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Starts the workers when the application context starts and gives the whole shutdown one
 * deadline when it closes.
 * <p>
 * The deadline is fixed once, at the first moment the context starts closing
 * ({@link ContextClosedEvent}): then the {@link CancellationToken} fires, readiness goes
 * to {@link ReadinessState#REFUSING_TRAFFIC refusing traffic}, and every worker is asked
 * to stop. This lifecycle runs in the phase in which Spring Boot shuts the web server
 * down gracefully ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}), and
 * Spring's timeout for that phase is set to the deadline, so workers and in-flight
 * requests drain at the same time under the same budget: a shutdown takes as long as the
 * longest drain, never the sum. At the deadline, workers still running are killed with
 * their process trees and the web server aborts what is left.
 * <p>
 * Starting blocks until every replica was ready once, so the web server accepts
 * connections before the workers are ready; readiness keeps traffic away meanwhile. A
 * replica that fails before it is ready fails the application start: everything started
 * is stopped and a {@link SupervisorStartupException} (exit code 3) is thrown.
 *
 * @author the supervisor authors
 */
public class SupervisorLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	/**
	 * The phase of this lifecycle: the phase in which the web server shuts down
	 * gracefully ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	/**
	 * How much longer than the deadline Spring waits for the graceful phase, so that this
	 * lifecycle, which reports back at the deadline at the latest, is not cut off.
	 */
	static final Duration PHASE_MARGIN = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(SupervisorLifecycle.class);

	private final Supervisor supervisor;

	private final Duration shutdownTimeout;

	private final ConfigurableApplicationContext context;

	private final CancellationSource cancellation = new CancellationSource();

	private volatile boolean running;

	private @Nullable CompletableFuture<List<StopOutcome>> stopping;

	private @Nullable CompletableFuture<ShutdownReport> report;

	/**
	 * Create a lifecycle for a supervisor.
	 * @param supervisor the supervisor
	 * @param shutdownTimeout the time the whole shutdown may take
	 * @param context the application context whose closing starts the shutdown
	 */
	public SupervisorLifecycle(Supervisor supervisor, Duration shutdownTimeout,
			ConfigurableApplicationContext context) {
		this.supervisor = supervisor;
		this.shutdownTimeout = shutdownTimeout;
		this.context = context;
	}

	/**
	 * Return the token that is cancelled when the shutdown begins.
	 * @return the token
	 */
	public CancellationToken cancellationToken() {
		return this.cancellation.token();
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

	/**
	 * The application context starts closing: fix the deadline and start draining.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			beginShutdown();
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		Deadline deadline = beginShutdown();
		CompletableFuture<?> atDeadline = new CompletableFuture<>();
		CompletableFuture.delayedExecutor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)
			.execute(() -> atDeadline.complete(null));
		// At the deadline what is left is being killed: report back, the reap is bounded
		CompletableFuture.anyOf(stopping(), atDeadline).whenComplete((result, ex) -> callback.run());
	}

	@Override
	public void stop() {
		this.running = false;
		beginShutdown();
		await(stopping());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Begin the shutdown, once: fix the deadline, cancel the token, refuse traffic and
	 * ask every worker to stop.
	 * @return the deadline
	 */
	synchronized Deadline beginShutdown() {
		Deadline existing = this.cancellation.deadline();
		if (existing != null) {
			return existing;
		}
		Deadline deadline = Deadline.after(this.shutdownTimeout);
		if (!this.supervisor.workers().isEmpty()) {
			logger.info("Shutting down: workers and requests have " + this.shutdownTimeout.toMillis() + "ms, until "
					+ deadline.instant());
		}
		alignGracefulPhase(deadline);
		refuseTraffic();
		Instant began = Instant.now();
		long beganNanos = System.nanoTime();
		this.stopping = this.supervisor.stop(deadline);
		this.report = this.stopping.thenApply((outcomes) -> new ShutdownReport(began, this.shutdownTimeout,
				Duration.ofNanos(System.nanoTime() - beganNanos), outcomes));
		this.report.thenAccept(this::publish);
		this.cancellation.cancel(deadline);
		return deadline;
	}

	private void publish(ShutdownReport report) {
		try {
			this.context.publishEvent(report);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not publish the shutdown report", ex);
		}
	}

	private synchronized CompletableFuture<List<StopOutcome>> stopping() {
		return (this.stopping != null) ? this.stopping : CompletableFuture.completedFuture(List.of());
	}

	/**
	 * Make Spring wait for the graceful shutdown phase exactly until the deadline: a
	 * shorter per-phase timeout would cut the drain short, a longer one would let the web
	 * server drain past it.
	 */
	private void alignGracefulPhase(Deadline deadline) {
		if (!this.context.getBeanFactory()
			.containsSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)) {
			return;
		}
		Object processor = this.context.getBeanFactory()
			.getSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);
		if (processor instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			lifecycleProcessor.setTimeoutForShutdownPhase(PHASE, deadline.remaining().plus(PHASE_MARGIN).toMillis());
		}
		else {
			logger.warn("The lifecycle processor is not a DefaultLifecycleProcessor: its timeout for the graceful"
					+ " shutdown phase cannot be set to supervisor.shutdown.timeout");
		}
	}

	private void refuseTraffic() {
		ApplicationAvailability availability = this.context.getBeanProvider(ApplicationAvailability.class)
			.getIfAvailable();
		if (availability == null || availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	private void stopAfterFailedStart() {
		await(this.supervisor.stop(Deadline.after(this.shutdownTimeout)));
	}

	private void await(CompletableFuture<?> stop) {
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
