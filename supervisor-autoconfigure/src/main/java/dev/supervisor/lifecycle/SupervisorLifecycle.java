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
import java.util.concurrent.locks.LockSupport;

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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
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
public class SupervisorLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, DisposableBean {

	/**
	 * The phase of this lifecycle: the phase in which the web server shuts down
	 * gracefully. A compile-time constant, inlined by javac, so this class does not need
	 * the optional web server module at run time.
	 */
	public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;

	/**
	 * How much longer than the deadline Spring waits for the graceful phase, so that this
	 * lifecycle, which reports back at the deadline at the latest, is not cut off.
	 */
	static final Duration PHASE_MARGIN = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(SupervisorLifecycle.class);

	/**
	 * How long after the deadline the report waits for a web server that was aborted, and
	 * for the workers after the reap timeout.
	 */
	private static final Duration REPORT_MARGIN = Duration.ofSeconds(1);

	private final Supervisor supervisor;

	private final Duration shutdownTimeout;

	private final Duration drainDelay;

	private final ConfigurableApplicationContext context;

	private final ShutdownReports reports;

	private final @Nullable WebServerDrain webServer;

	private final CancellationSource cancellation = new CancellationSource();

	private volatile boolean running;

	private @Nullable Deadline deadline;

	private @Nullable Instant began;

	private long beganNanos;

	private @Nullable CompletableFuture<List<StopOutcome>> stopping;

	private @Nullable CompletableFuture<Void> report;

	private Duration reportBound = Duration.ZERO;

	/**
	 * Create a lifecycle for a supervisor.
	 * @param supervisor the supervisor
	 * @param shutdownTimeout the time the whole shutdown may take
	 * @param drainDelay how long to keep serving after readiness went to refusing
	 * traffic, out of the same budget
	 * @param context the application context whose closing starts the shutdown
	 * @param reports where the shutdown report goes
	 * @param webServer records the web server's drain, or {@code null} without one
	 */
	public SupervisorLifecycle(Supervisor supervisor, Duration shutdownTimeout, Duration drainDelay,
			ConfigurableApplicationContext context, ShutdownReports reports, @Nullable WebServerDrain webServer) {
		this.supervisor = supervisor;
		this.shutdownTimeout = shutdownTimeout;
		this.drainDelay = drainDelay;
		this.context = context;
		this.reports = reports;
		this.webServer = webServer;
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
		long start = System.nanoTime();
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
				+ Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms");
	}

	/**
	 * The application context starts closing: fix the deadline, keep serving for the
	 * drain delay if there is one, then start draining.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		Deadline fixed = fixDeadline();
		if (!this.drainDelay.isZero()) {
			logger.info("Refusing traffic; still serving for " + this.drainDelay.toMillis()
					+ "ms so load balancers notice");
			long end = System.nanoTime() + this.drainDelay.toNanos();
			long left;
			while ((left = Math.min(end - System.nanoTime(), fixed.remaining().toNanos())) > 0) {
				LockSupport.parkNanos(left);
			}
		}
		drain();
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		Deadline fixed = fixDeadline();
		CompletableFuture<List<StopOutcome>> workers = drain();
		CompletableFuture<?> atDeadline = new CompletableFuture<>();
		CompletableFuture.delayedExecutor(fixed.remaining().toNanos(), TimeUnit.NANOSECONDS)
			.execute(() -> atDeadline.complete(null));
		// At the deadline what is left is being killed: report back, the reap is bounded
		CompletableFuture.anyOf(workers, atDeadline).whenComplete((result, ex) -> callback.run());
	}

	@Override
	public void stop() {
		this.running = false;
		fixDeadline();
		await(drain());
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
	 * Fix the deadline, once: align Spring's graceful phase with it and refuse traffic.
	 * @return the deadline
	 */
	synchronized Deadline fixDeadline() {
		if (this.deadline != null) {
			return this.deadline;
		}
		Deadline fixed = Deadline.after(this.shutdownTimeout);
		this.deadline = fixed;
		this.began = Instant.now();
		this.beganNanos = System.nanoTime();
		if (!this.supervisor.workers().isEmpty()) {
			logger.info("Shutting down: workers and requests have " + this.shutdownTimeout.toMillis() + "ms, until "
					+ fixed.instant());
		}
		alignGracefulPhase(fixed);
		refuseTraffic();
		return fixed;
	}

	/**
	 * Start draining, once: every worker is asked to stop and the token is cancelled.
	 * @return a future completing when the workers are gone
	 */
	private synchronized CompletableFuture<List<StopOutcome>> drain() {
		if (this.stopping != null) {
			return this.stopping;
		}
		Deadline fixed = this.deadline;
		CompletableFuture<List<StopOutcome>> workers = this.supervisor.stop(fixed);
		this.stopping = workers;
		this.cancellation.cancel(fixed);
		reportWhenDone(fixed, this.began, this.beganNanos, workers);
		return workers;
	}

	/**
	 * Make the shutdown report from what happened: once every worker is stopped (the
	 * ladder is bounded: it ends at the latest the reap timeout after the deadline) and
	 * the web server drained, or was aborted shortly after the deadline. If the workers
	 * are not done even then, the report says how many are unaccounted for.
	 */
	private void reportWhenDone(Deadline fixed, Instant start, long startNanos,
			CompletableFuture<List<StopOutcome>> workers) {
		CompletableFuture<?> web = (this.webServer != null && this.webServer.present()) ? this.webServer.ended()
				: CompletableFuture.completedFuture(null);
		Duration workersBound = fixed.remaining().plus(this.supervisor.options().reapTimeout()).plus(REPORT_MARGIN);
		CompletableFuture<?> webDone = CompletableFuture.anyOf(web, after(fixed.remaining().plus(REPORT_MARGIN)));
		CompletableFuture<?> workersDone = CompletableFuture.anyOf(workers, after(workersBound));
		CompletableFuture<Void> done = new CompletableFuture<>();
		CompletableFuture.allOf(webDone, workersDone).whenComplete((result, ex) -> done.complete(null));
		this.report = done.thenRun(() -> {
			List<StopOutcome> outcomes = (workers.isDone() && !workers.isCompletedExceptionally())
					? workers.getNow(null) : null;
			int unaccounted = (outcomes != null) ? 0
					: this.supervisor.snapshot().stream().mapToInt(GroupSnapshot::alive).sum();
			this.reports.record(new ShutdownReport(ShutdownReport.APPLICATION_SHUTDOWN, start, this.shutdownTimeout,
					Duration.ofNanos(System.nanoTime() - startNanos), (outcomes != null) ? outcomes : List.of(),
					(this.webServer != null) ? this.webServer.describe(fixed) : null, unaccounted));
		});
		this.reportBound = workersBound.plus(REPORT_MARGIN);
	}

	private static CompletableFuture<?> after(Duration delay) {
		CompletableFuture<@Nullable Void> elapsed = new CompletableFuture<>();
		CompletableFuture.delayedExecutor(Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS)
			.execute(() -> elapsed.complete(null));
		return elapsed;
	}

	/**
	 * Wait for the shutdown report before the supervisor is closed (this bean is
	 * destroyed first, as it depends on it), so that it is written before the JVM exits.
	 */
	@Override
	public void destroy() {
		CompletableFuture<Void> pending;
		Duration bound;
		synchronized (this) {
			pending = this.report;
			bound = this.reportBound;
		}
		if (pending == null) {
			return;
		}
		try {
			pending.get(bound.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("The shutdown report could not be made: " + ex);
		}
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
