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

package dev.supervisor.actuate.metrics;

import dev.supervisor.lifecycle.ShutdownReport;
import dev.supervisor.process.ExitRecord;
import dev.supervisor.process.ExitStatus;
import dev.supervisor.process.Signal;
import dev.supervisor.process.StopOutcome;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

/**
 * Micrometer meters for the supervisor, each tagged with its worker group:
 * <ul>
 * <li>{@code supervisor.children.alive}, {@code .ready}, {@code .desired}: gauges read
 * from the supervisor's state when they are read;</li>
 * <li>{@code supervisor.child.restarts}: counter, tagged with the {@code cause};</li>
 * <li>{@code supervisor.child.exits}: counter, tagged with the {@code outcome} (success,
 * failure or the signal), the {@code cause} and {@code startup.failure};</li>
 * <li>{@code supervisor.child.startup}: timer, from start to ready;</li>
 * <li>{@code supervisor.child.drain}: timer, how long each replica took to stop at
 * shutdown, tagged {@code killed};</li>
 * <li>{@code supervisor.shutdown}: timer, the shutdown's wall time.</li>
 * </ul>
 *
 * @author the supervisor authors
 */
public class SupervisorMetrics
		implements MeterBinder, SupervisorListener, ApplicationListener<PayloadApplicationEvent<ShutdownReport>> {

	private final Supervisor supervisor;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Create the meters of a supervisor.
	 * @param supervisor the supervisor
	 */
	public SupervisorMetrics(Supervisor supervisor) {
		this.supervisor = supervisor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String worker : this.supervisor.workers()) {
			Gauge.builder("supervisor.children.alive", this.supervisor, (s) -> s.snapshot(worker).alive())
				.tag("worker", worker)
				.description("Replica processes of the worker group that are alive")
				.register(registry);
			Gauge.builder("supervisor.children.ready", this.supervisor, (s) -> s.snapshot(worker).ready())
				.tag("worker", worker)
				.description("Replicas of the worker group that are ready")
				.register(registry);
			Gauge.builder("supervisor.children.desired", this.supervisor, (s) -> s.snapshot(worker).desired())
				.tag("worker", worker)
				.description("Replicas the worker group should run")
				.register(registry);
			FunctionCounter
				.builder("supervisor.output.dropped.lines", this.supervisor, (s) -> s.snapshot(worker).droppedLines())
				.tag("worker", worker)
				.description("Output lines of the worker group dropped because logging could not keep up")
				.register(registry);
			FunctionCounter
				.builder("supervisor.output.dropped.bytes", this.supervisor, (s) -> s.snapshot(worker).droppedBytes())
				.tag("worker", worker)
				.baseUnit("bytes")
				.description("Bytes of output of the worker group dropped because logging could not keep up")
				.register(registry);
		}
		this.registry = registry;
	}

	@Override
	public void onEvent(SupervisorEvent event) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		if (event instanceof SupervisorEvent.ReplicaExited exited) {
			ExitRecord exit = exited.exit();
			Counter.builder("supervisor.child.exits")
				.tag("worker", exited.worker())
				.tag("outcome", outcome(exit.status()))
				.tag("cause", exit.cause().tag())
				.tag("startup.failure", Boolean.toString(exit.startupFailure()))
				.description("Replica processes that ended")
				.register(registry)
				.increment();
		}
		else if (event instanceof SupervisorEvent.ReplicaRestarting restarting) {
			Counter.builder("supervisor.child.restarts")
				.tag("worker", restarting.worker())
				.tag("cause", restarting.cause().tag())
				.description("Replica restarts")
				.register(registry)
				.increment();
		}
		else if (event instanceof SupervisorEvent.ReplicaReady ready) {
			Timer.builder("supervisor.child.startup")
				.tag("worker", ready.worker())
				.description("Time from a replica's start to its readiness")
				.register(registry)
				.record(ready.startup());
		}
	}

	@Override
	public void onApplicationEvent(PayloadApplicationEvent<ShutdownReport> event) {
		record(event.getPayload());
	}

	/**
	 * Record a shutdown.
	 * @param report what the shutdown did
	 */
	public void record(ShutdownReport report) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		if (report.applicationShutdown()) {
			Timer.builder("supervisor.shutdown")
				.description("Wall time of the application's shutdown of its workers and web server")
				.register(registry)
				.record(report.took());
		}
		for (StopOutcome outcome : report.workers()) {
			Timer.builder("supervisor.child.drain")
				.tag("worker", outcome.worker())
				.tag("killed", Boolean.toString(outcome.killed()))
				.description("Time a replica took to stop through the stop ladder")
				.register(registry)
				.record(outcome.took());
		}
	}

	static String outcome(ExitStatus status) {
		Signal signal = status.signal();
		if (signal != null) {
			return signal.signalName();
		}
		return status.success() ? "success" : "failure";
	}

}
