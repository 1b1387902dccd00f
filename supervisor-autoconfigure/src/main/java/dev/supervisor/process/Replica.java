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

package dev.supervisor.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import dev.supervisor.shutdown.Deadline;
import dev.supervisor.worker.Protocol.Message;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One replica of a worker group and its state machine. Every method runs on the
 * supervisor's single state thread, so transitions are serialized: process exits,
 * readiness signals, timers and requests all arrive there as tasks, and an event about a
 * process that is no longer the replica's current one is ignored.
 *
 * @author the supervisor authors
 */
final class Replica {

	private static final Log logger = LogFactory.getLog(Replica.class);

	private final WorkerGroup group;

	private final Supervisor supervisor;

	private final int index;

	private final RestartHistory history;

	private ReplicaState state = ReplicaState.PENDING;

	private boolean launching;

	private CompletableFuture<Void> launch = CompletableFuture.completedFuture(null);

	private @Nullable Deadline pendingStop;

	private Intent intent = Intent.STOP;

	private @Nullable ChildProcess child;

	private volatile @Nullable ChildProcess last;

	private StopLadder.@Nullable Stop currentStop;

	private @Nullable CompletableFuture<@Nullable StopOutcome> stopResult;

	private @Nullable ScheduledFuture<?> startupTimer;

	private @Nullable ScheduledFuture<?> uptimeTimer;

	private @Nullable ScheduledFuture<?> backoffTimer;

	private @Nullable ProbeLoop probe;

	private @Nullable HealthWatch health;

	private int port = -1;

	private int restarts;

	private boolean everReady;

	private @Nullable Instant startedAt;

	private @Nullable Instant readyAt;

	private @Nullable ExitRecord lastExit;

	/** The exits that counted towards the crash-loop limit, newest last. */
	private final Deque<ExitRecord> recentExits = new ArrayDeque<>();

	private ReplicaSnapshot.@Nullable ReadinessCheck readinessCheck;

	/** Whether the process being stopped had exited before it was asked to stop. */
	private boolean exitedBeforeStop;

	private volatile ReplicaSnapshot snapshot;

	private final List<CompletableFuture<ReplicaState>> settled = new ArrayList<>();

	Replica(WorkerGroup group, int index) {
		this.group = group;
		this.supervisor = group.supervisor();
		this.index = index;
		this.history = new RestartHistory(group.spec().crashLoop());
		this.snapshot = new ReplicaSnapshot(name(), index, this.state, null, 0, null, null, 0, null, List.of(), null,
				List.of(), null);
	}

	int index() {
		return this.index;
	}

	boolean everReady() {
		return this.everReady;
	}

	ReplicaState state() {
		return this.state;
	}

	/**
	 * Return a future completing once this replica is ready, has failed (its group gave
	 * up) or was stopped, at once if it is.
	 * @return the future, completing with the state
	 */
	CompletableFuture<ReplicaState> settled() {
		if (isSettled(this.state)) {
			return CompletableFuture.completedFuture(this.state);
		}
		CompletableFuture<ReplicaState> future = new CompletableFuture<>();
		this.settled.add(future);
		return future;
	}

	private static boolean isSettled(ReplicaState state) {
		return state == ReplicaState.READY || state == ReplicaState.FAILED || state == ReplicaState.STOPPED;
	}

	ReplicaSnapshot snapshot(boolean withLines) {
		ReplicaSnapshot current = this.snapshot;
		ChildProcess process = this.last;
		return (withLines && process != null) ? current.withLastLines(process.tail().lines()) : current;
	}

	/**
	 * Start a process for this replica, unless the supervisor no longer starts any.
	 * @return a future completing once the process was started, or could not be
	 */
	CompletableFuture<Void> start() {
		if (!this.supervisor.acceptsStarts()) {
			setState(ReplicaState.STOPPED);
			return CompletableFuture.completedFuture(null);
		}
		StopLadder.Stop cleanup = this.currentStop;
		if (cleanup != null) {
			// What the last process left behind is still being stopped: start after it
			setState(ReplicaState.BACKOFF);
			CompletableFuture<Void> started = new CompletableFuture<>();
			cleanup.result().whenComplete((outcome, ex) -> this.supervisor.execute(() -> {
				if (this.state == ReplicaState.BACKOFF && this.backoffTimer == null) {
					start().whenComplete((result, failure) -> started.complete(null));
				}
				else {
					started.complete(null);
				}
			}));
			return started;
		}
		WorkerSpec spec = this.group.spec();
		ReplicaContext context = new ReplicaContext(spec.name(), this.index, port(spec));
		ControlChannel.Registration control;
		try {
			control = spec.usesControlChannel() ? this.supervisor.controlChannel()
				.register(context.toString(), (registration, message, at) -> this.supervisor
					.execute(() -> onMessage(registration, message, at))) : null;
		}
		catch (IOException ex) {
			startupFailed(new StartupFailure(name(), this.index, null, StartupFailure.Kind.NOT_STARTED, null,
					Duration.ZERO, context.resolve(spec.command()), List.of(),
					"the control channel could not be opened: " + ex.getMessage()));
			return CompletableFuture.completedFuture(null);
		}
		Map<String, String> environment = (control != null) ? this.supervisor.controlEnvironment(control, spec)
				: Map.of();
		this.launching = true;
		setState(ReplicaState.STARTING);
		// Processes are started off this thread, several at a time; the rest happens here
		CompletableFuture<Void> launched = new CompletableFuture<>();
		this.launch = launched;
		CompletableFuture<ChildProcess> spawned;
		try {
			spawned = CompletableFuture.supplyAsync(() -> launch(spec, context, environment),
					this.supervisor.spawner());
		}
		catch (RejectedExecutionException | OutOfMemoryError ex) {
			// No thread to start it on (closing, or a limit on threads): nothing started
			spawned = CompletableFuture.failedFuture(ex);
		}
		spawned.whenComplete((started, ex) -> {
			if (started != null && control != null) {
				// At once: its process may be connecting already
				control.started(started.pid(), started.group() != null);
			}
			this.supervisor.execute(() -> launched(spec, context, control, started, ex)
				.whenComplete((result, failure) -> launched.complete(null)));
		});
		return launched;
	}

	private ChildProcess launch(WorkerSpec spec, ReplicaContext context, Map<String, String> environment) {
		try {
			ChildProcess started = this.supervisor.launcher().launch(spec, context, environment);
			this.supervisor.guard().watch(started.target());
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A process was started for this replica, or could not be.
	 * @return a future completing when the start is over: at once, or once a process
	 * whose start failed half-way is gone
	 */
	private CompletableFuture<Void> launched(WorkerSpec spec, ReplicaContext context,
			ControlChannel.@Nullable Registration control, @Nullable ChildProcess started,
			@Nullable Throwable failure) {
		if (started == null) {
			if (control != null) {
				control.unregister();
			}
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			IOException launchFailure = (cause instanceof UncheckedIOException io) ? io.getCause() : null;
			String detail = (launchFailure != null) ? launchFailure.getMessage() : String.valueOf(cause);
			StopTarget stray = (launchFailure instanceof ProcessLauncher.LaunchException launch) ? launch.stray()
					: null;
			if (stray != null) {
				return stopStray(spec, context, stray, detail);
			}
			notLaunched(spec, context, null, detail, null);
			return CompletableFuture.completedFuture(null);
		}
		this.launching = false;
		Deadline stopBy = this.pendingStop;
		this.pendingStop = null;
		started.control(control);
		this.child = started;
		this.last = started;
		this.startedAt = started.startedAt();
		this.readyAt = null;
		setState(ReplicaState.STARTING);
		if (logger.isInfoEnabled()) {
			logger.info("Started " + describe(started));
		}
		if (spec.output().mode() == OutputSpec.Mode.LOG) {
			started.pumpOutput(spec.output(), lineHandler(started, spec));
		}
		started.onExit().whenComplete((process, ex) -> this.supervisor.execute(() -> onExit(started)));
		this.supervisor.emit(new SupervisorEvent.ReplicaStarted(name(), this.index, started.pid(), this.startedAt));
		if (stopBy != null) {
			// Stopped while it was being started
			requestStop(stopBy, this.intent);
			return CompletableFuture.completedFuture(null);
		}
		this.startupTimer = this.supervisor.schedule(() -> onStartupTimeout(started), spec.startupTimeout());
		startReadiness(started, spec);
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * The start failed after the process was created, so it runs without anyone watching
	 * it: stop it through the ladder, and only then report the failure. Until then the
	 * replica is still being started, so a stop or restart meanwhile waits for it.
	 */
	private CompletableFuture<Void> stopStray(WorkerSpec spec, ReplicaContext context, StopTarget stray,
			String detail) {
		logger.warn("Worker '" + name() + "' replica " + this.index + " (pid " + stray.pid()
				+ ") was started, but its start failed afterwards (" + detail + "); stopping it");
		Deadline deadline = (this.pendingStop != null) ? this.pendingStop : Deadline.after(stopTimeout());
		StopLadder.Stop stop = this.supervisor.ladder().stop(stray, spec.stopSignal(), deadline);
		this.currentStop = stop;
		CompletableFuture<Void> done = new CompletableFuture<>();
		stop.result().whenComplete((outcome, ex) -> {
			this.supervisor.launcher().reap(stray);
			Runnable report = () -> {
				if (this.currentStop == stop) {
					this.currentStop = null;
				}
				notLaunched(spec, context, stray.pid(), detail, outcome);
				done.complete(null);
			};
			if (!this.supervisor.execute(report)) {
				done.complete(null);
			}
		});
		return done;
	}

	/**
	 * No process runs for this replica after a start: report the failure, unless the
	 * replica was to stop anyway.
	 * @param stray how a process whose start failed half-way was stopped, if there was
	 * one
	 */
	private void notLaunched(WorkerSpec spec, ReplicaContext context, @Nullable Long pid, String detail,
			@Nullable StopOutcome stray) {
		this.launching = false;
		Deadline stopBy = this.pendingStop;
		this.pendingStop = null;
		if (stopBy != null) {
			setState(ReplicaState.STOPPED);
			completeStop(stray);
			return;
		}
		startupFailed(new StartupFailure(name(), this.index, pid, StartupFailure.Kind.NOT_STARTED, null, Duration.ZERO,
				context.resolve(spec.command()), List.of(), detail));
	}

	/**
	 * Stop this replica for good (shutdown or scale-down).
	 * @param deadline when to stop asking and kill
	 * @return a future completing with the outcome once everything is gone, or with
	 * {@code null} if no process was running
	 */
	CompletableFuture<@Nullable StopOutcome> stop(Deadline deadline) {
		cancel(this.backoffTimer);
		this.backoffTimer = null;
		switch (this.state) {
			case STARTING, READY -> {
				if (this.launching) {
					this.intent = Intent.STOP;
					this.pendingStop = (this.pendingStop != null) ? this.pendingStop.earlierOf(deadline) : deadline;
					if (this.currentStop != null) {
						// A process whose start failed half-way is being stopped
						this.currentStop.tighten(deadline);
					}
					return stopResult();
				}
				return requestStop(deadline, Intent.STOP);
			}
			case STOPPING -> {
				this.intent = Intent.STOP;
				tighten(deadline);
				return this.stopResult;
			}
			default -> {
				if (this.state == ReplicaState.PENDING || this.state == ReplicaState.BACKOFF) {
					setState(ReplicaState.STOPPED);
				}
				StopLadder.Stop cleanup = this.currentStop;
				if (cleanup != null) {
					cleanup.tighten(deadline);
					return cleanup.result().handle((outcome, ex) -> null);
				}
				return CompletableFuture.completedFuture(null);
			}
		}
	}

	void tighten(Deadline deadline) {
		if (this.pendingStop != null) {
			this.pendingStop = this.pendingStop.earlierOf(deadline);
		}
		StopLadder.Stop stop = this.currentStop;
		if (stop != null) {
			stop.tighten(deadline);
		}
	}

	/**
	 * Restart this replica now: through the stop ladder if it runs, at once otherwise.
	 * Clears its crash-loop history.
	 * @param cause why
	 * @return a future completing once the new process was started, with the outcome of
	 * stopping the old one if one ran
	 */
	CompletableFuture<@Nullable StopOutcome> restart(RestartCause cause) {
		if (!this.supervisor.acceptsStarts()) {
			return CompletableFuture.failedFuture(new IllegalStateException("The supervisor is not running"));
		}
		this.history.clear();
		this.recentExits.clear();
		switch (this.state) {
			case STARTING, READY -> {
				if (this.launching) {
					// A new process is being started already
					return this.launch.thenApply((started) -> null);
				}
				// Once stopped, the replica is started again before this future completes
				return requestStop(Deadline.after(stopTimeout()), Intent.RESTART)
					.thenCompose((outcome) -> this.launch.thenApply((started) -> outcome));
			}
			case STOPPING -> {
				if (this.intent == Intent.RESTART) {
					return this.stopResult.thenCompose((outcome) -> this.launch.thenApply((started) -> outcome));
				}
				return CompletableFuture
					.failedFuture(new IllegalStateException("Replica " + this.index + " is being stopped"));
			}
			default -> {
				cancel(this.backoffTimer);
				this.backoffTimer = null;
				this.restarts++;
				this.supervisor.emit(
						new SupervisorEvent.ReplicaRestarting(name(), this.index, cause, Duration.ZERO, Instant.now()));
				return start().thenApply((started) -> null);
			}
		}
	}

	/**
	 * Stop a replica found unhealthy and start it again, counting towards its crash-loop
	 * limit.
	 * @param process the process found unhealthy
	 * @param reason why it is unhealthy
	 */
	private void unhealthy(ChildProcess process, String reason) {
		if (process == this.child && this.state == ReplicaState.READY) {
			logger.warn(capitalized(process) + " is unhealthy (" + reason + "); restarting it");
			requestStop(Deadline.after(stopTimeout()), Intent.UNHEALTHY);
		}
	}

	/**
	 * A message from a process on the control channel.
	 */
	private void onMessage(ControlChannel.Registration registration, Message message, Instant at) {
		ChildProcess process = this.child;
		if (process == null || process.control() != registration) {
			return;
		}
		if (message instanceof Message.Ready) {
			if (this.group.spec().readiness() instanceof Readiness.Notify) {
				onReady(process, at);
			}
		}
		else if (message instanceof Message.Status status) {
			process.status(status.text());
			setState(this.state);
		}
		else if (message instanceof Message.Heartbeat) {
			if (this.health != null) {
				this.health.heartbeat();
			}
		}
		else if (message instanceof Message.Stopping && logger.isDebugEnabled()) {
			logger.debug(capitalized(process) + " says it is stopping");
		}
	}

	private CompletableFuture<@Nullable StopOutcome> requestStop(Deadline deadline, Intent intent) {
		ChildProcess process = this.child;
		cancelStartupWork();
		this.intent = intent;
		// Its exit may be on its way here still: then it was not stopped, it ended
		this.exitedBeforeStop = !process.isAlive();
		setState(ReplicaState.STOPPING);
		StopLadder.Stop stop = this.supervisor.ladder().stop(process, this.group.spec().stopSignal(), deadline);
		this.currentStop = stop;
		CompletableFuture<@Nullable StopOutcome> result = stopResult();
		stop.result().whenComplete((outcome, ex) -> this.supervisor.execute(() -> stopped(process, stop, outcome)));
		return result;
	}

	private void stopped(ChildProcess process, StopLadder.Stop stop, StopOutcome outcome) {
		if (this.currentStop == stop) {
			this.currentStop = null;
		}
		forget(process);
		this.child = null;
		ExitStatus status = (outcome.status() != null) ? outcome.status() : new ExitStatus(-1);
		// Nothing reached a live process: it had ended on its own
		boolean ended = this.exitedBeforeStop || (outcome.signalledAt() == null && !outcome.stopMessage());
		boolean wasReady = this.readyAt != null;
		ExitCause cause = switch (this.intent) {
			case STOP, RESTART -> !ended ? ExitCause.STOPPED
					: !wasReady ? ExitCause.STARTUP_FAILED : status.success() ? ExitCause.COMPLETED : ExitCause.CRASHED;
			case UNHEALTHY -> ExitCause.UNHEALTHY;
			case STARTUP_TIMEOUT -> ExitCause.STARTUP_TIMEOUT;
		};
		Instant at = (outcome.exitedAt() != null) ? outcome.exitedAt() : Instant.now();
		exited(new ExitRecord(process.pid(), status, cause, outcome.killed(), at));
		logStopped(process, outcome, status, ended, wasReady);
		this.supervisor.emit(new SupervisorEvent.ReplicaExited(name(), this.index, this.lastExit, at));
		switch (this.intent) {
			case STOP -> setState(ReplicaState.STOPPED);
			case RESTART -> {
				if (this.supervisor.acceptsStarts()) {
					this.restarts++;
					this.supervisor.emit(new SupervisorEvent.ReplicaRestarting(name(), this.index, RestartCause.MANUAL,
							Duration.ZERO, Instant.now()));
				}
				start();
			}
			case UNHEALTHY -> restartOrStop(RestartCause.UNHEALTHY);
			// Reported when it timed out: what follows is all that is left to do
			case STARTUP_TIMEOUT -> afterStartupFailure(RestartCause.STARTUP_TIMEOUT);
		}
		completeStop(outcome);
	}

	/**
	 * Log how a stop ended: a process that had ended on its own before anything reached
	 * it is not said to have been stopped.
	 */
	private void logStopped(ChildProcess process, StopOutcome outcome, ExitStatus status, boolean ended,
			boolean wasReady) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		StartupFailure startFailure = this.supervisor.startFailure();
		String because = (startFailure != null && this.intent == Intent.STOP)
				? "the start failed " + because(startFailure) : null;
		if (ended) {
			logger.info(capitalized(process) + " had exited on its own with " + status
					+ (wasReady ? "" : " before it was ready") + ((because != null) ? "; " + because : ""));
			return;
		}
		logger.info("Stopped " + describe(process) + " in " + outcome.took().toMillis() + "ms"
				+ (outcome.killed() ? ", killed with SIGKILL at its stop deadline" : ", " + status)
				+ ((because != null) ? ", " + because : ""));
	}

	private String because(StartupFailure startFailure) {
		boolean self = startFailure.worker().equals(name()) && startFailure.replica() == this.index;
		return self ? "because of it"
				: "because of worker '" + startFailure.worker() + "' replica " + startFailure.replica();
	}

	/**
	 * Record how a process ended; every end but a stop counts towards the crash-loop
	 * report.
	 */
	private void exited(ExitRecord exit) {
		this.lastExit = exit;
		if (exit.cause() != ExitCause.STOPPED) {
			this.recentExits.addLast(exit);
			while (this.recentExits.size() > this.group.spec().crashLoop().maxRestarts() + 1) {
				this.recentExits.removeFirst();
			}
		}
	}

	/**
	 * Return why this replica's group gives up while the application starts: what the
	 * failure analysis explains.
	 * @param limit the crash-loop limit it hit
	 * @return the failure
	 */
	StartupFailure gaveUp(CrashLoopLimit limit) {
		ChildProcess process = this.last;
		ExitRecord exit = this.lastExit;
		Instant since = Instant.now().minus(limit.window());
		List<ExitRecord> exits = this.recentExits.stream().filter((recent) -> recent.at().isAfter(since)).toList();
		Duration after = (process != null && exit != null) ? Duration.between(process.startedAt(), exit.at())
				: Duration.ZERO;
		return new StartupFailure(name(), this.index, (exit != null) ? exit.pid() : null, StartupFailure.Kind.GAVE_UP,
				(exit != null) ? exit.status() : null, after, (process != null) ? process.command() : List.of(),
				(process != null) ? process.tail().lines() : List.of(), null, this.readinessCheck,
				new StartupFailure.CrashLoop(limit, exits));
	}

	private CompletableFuture<@Nullable StopOutcome> stopResult() {
		if (this.stopResult == null) {
			this.stopResult = new CompletableFuture<>();
		}
		return this.stopResult;
	}

	private void completeStop(@Nullable StopOutcome outcome) {
		CompletableFuture<@Nullable StopOutcome> result = this.stopResult;
		this.stopResult = null;
		if (result != null) {
			result.complete(outcome);
		}
	}

	private void onExit(ChildProcess process) {
		if (process != this.child || this.state == ReplicaState.STOPPING) {
			return;
		}
		Instant at = process.exitNoticed();
		cancelStartupWork();
		if (this.state == ReplicaState.STARTING && !process.drained()) {
			// A ready signal sent just before the exit may still be on its way through
			// the
			// output or the control channel; it cannot have been sent after the exit. Let
			// both drain, briefly, and let the signal count before deciding.
			whenDrained(process, () -> {
				process.drained(true);
				onExit(process);
			});
			return;
		}
		ExitStatus status = process.exitStatus();
		boolean starting = this.state == ReplicaState.STARTING;
		this.child = null;
		cleanUpAfter(process);
		if (starting) {
			ExitRecord exit = new ExitRecord(process.pid(), status, ExitCause.STARTUP_FAILED, false, at);
			exited(exit);
			setState(ReplicaState.EXITED);
			this.supervisor.emit(new SupervisorEvent.ReplicaExited(name(), this.index, exit, at));
			startupFailed(new StartupFailure(name(), this.index, process.pid(), StartupFailure.Kind.EXITED, status,
					Duration.between(process.startedAt(), at), process.command(), process.tail().lines(), null,
					this.readinessCheck, null));
			return;
		}
		ExitCause cause = status.success() ? ExitCause.COMPLETED : ExitCause.CRASHED;
		exited(new ExitRecord(process.pid(), status, cause, false, at));
		if (status.success()) {
			logger.info(capitalized(process) + " exited with " + status);
		}
		else {
			logger.warn(capitalized(process) + " died with " + status + " after "
					+ Duration.between(process.startedAt(), at).toMillis() + "ms");
		}
		this.supervisor.emit(new SupervisorEvent.ReplicaExited(name(), this.index, this.lastExit, at));
		if (this.supervisor.acceptsStarts() && this.group.spec().restart().shouldRestart(status)) {
			scheduleRestart(status.success() ? RestartCause.COMPLETED : RestartCause.CRASHED);
		}
		else {
			setState(ReplicaState.EXITED);
		}
	}

	private void onReady(ChildProcess process, Instant at) {
		if (process != this.child || this.state != ReplicaState.STARTING) {
			return;
		}
		cancelStartupWork();
		this.readyAt = at;
		this.everReady = true;
		setState(ReplicaState.READY);
		WorkerSpec spec = this.group.spec();
		if (spec.heartbeatTimeout() != null || spec.liveness() != null) {
			ReadinessProbe liveness = (spec.liveness() != null)
					? probe(process, spec.readiness(), spec.liveness().timeout()) : null;
			this.health = new HealthWatch(this.supervisor, process, spec.heartbeatTimeout(), spec.liveness(), liveness,
					(reason) -> unhealthy(process, reason));
			this.health.start();
		}
		Duration startup = Duration.between(process.startedAt(), at);
		if (logger.isInfoEnabled()) {
			logger.info(capitalized(process) + " is ready after " + startup.toMillis() + "ms");
		}
		this.supervisor.emit(new SupervisorEvent.ReplicaReady(name(), this.index, process.pid(), startup, at));
		this.supervisor.checkStarted();
	}

	private void onStartupTimeout(ChildProcess process) {
		this.startupTimer = null;
		if (process == this.child && this.state == ReplicaState.STARTING) {
			// What it printed and what the probe saw until now tell why it is not ready
			StartupFailure failure = new StartupFailure(name(), this.index, process.pid(),
					StartupFailure.Kind.TIMED_OUT, null, this.group.spec().startupTimeout(), process.command(),
					process.tail().lines(), null, this.readinessCheck, null);
			CompletableFuture<@Nullable StopOutcome> stopped = requestStop(Deadline.after(stopTimeout()),
					Intent.STARTUP_TIMEOUT);
			// Decided now, reported once it is stopped
			reportStartupFailure(failure, stopped);
		}
	}

	/**
	 * A process exited before it was ready, or none could be started: report it, then
	 * restart the replica if the supervisor still starts replicas.
	 */
	private void startupFailed(StartupFailure failure) {
		reportStartupFailure(failure, CompletableFuture.completedFuture(null));
		afterStartupFailure(RestartCause.STARTUP_FAILED);
	}

	/**
	 * Tell of a startup failure, once. While the application starts, the first failure
	 * fails the start and is logged at WARN with the sentence of the failure analysis; a
	 * later one is part of that story, not its cause, and is logged at INFO saying so.
	 */
	private void reportStartupFailure(StartupFailure failure, CompletableFuture<?> reported) {
		Supervisor.Phase phase = this.supervisor.phase();
		StartupFailure decided = this.supervisor.startFailure();
		if (phase != Supervisor.Phase.STARTING && decided != null) {
			if (logger.isInfoEnabled()) {
				logger.info(failure.describe() + "; the start had already failed " + because(decided));
			}
			return;
		}
		logger.warn(failure.describe());
		if (phase == Supervisor.Phase.STARTING) {
			if (this.child == null) {
				// Publish the failed state before whoever waits for the start wakes up
				setState(ReplicaState.FAILED);
			}
			this.supervisor.failStart(failure, reported);
		}
	}

	/**
	 * The process that failed to start is gone: start another, or leave the replica
	 * failed if the start of the application failed, stopped otherwise.
	 */
	private void afterStartupFailure(RestartCause cause) {
		if (this.supervisor.acceptsStarts()) {
			scheduleRestart(cause);
		}
		else {
			setState((this.supervisor.startFailure() != null) ? ReplicaState.FAILED : ReplicaState.STOPPED);
		}
	}

	private void restartOrStop(RestartCause cause) {
		if (this.supervisor.acceptsStarts()) {
			scheduleRestart(cause);
		}
		else if (!this.state.hasProcess()) {
			setState(ReplicaState.STOPPED);
		}
	}

	private void scheduleRestart(RestartCause cause) {
		WorkerSpec spec = this.group.spec();
		long now = System.nanoTime();
		if (this.history.wouldExceed(now)) {
			setState(ReplicaState.FAILED);
			this.group.giveUp(this);
			return;
		}
		int attempt = this.history.recent(now);
		this.history.record(now);
		Duration delay = spec.backoff().delay(attempt, ThreadLocalRandom.current()::nextDouble);
		this.restarts++;
		setState(ReplicaState.BACKOFF);
		if (logger.isInfoEnabled()) {
			logger.info("Restarting worker '" + name() + "' replica " + this.index + " in " + delay.toMillis() + "ms ("
					+ cause.tag() + ")");
		}
		this.supervisor.emit(new SupervisorEvent.ReplicaRestarting(name(), this.index, cause, delay, Instant.now()));
		this.backoffTimer = this.supervisor.schedule(() -> {
			this.backoffTimer = null;
			if (this.state == ReplicaState.BACKOFF) {
				start();
			}
		}, delay);
	}

	/**
	 * Stop whatever an exited process left in its process group, so that a replacement
	 * does not meet its predecessor's children holding its port.
	 */
	private void cleanUpAfter(ChildProcess process) {
		StopLadder.Stop cleanup = this.supervisor.ladder()
			.stop(process, this.group.spec().stopSignal(), Deadline.after(stopTimeout()));
		this.currentStop = cleanup;
		cleanup.result().whenComplete((outcome, ex) -> this.supervisor.execute(() -> {
			if (this.currentStop == cleanup) {
				this.currentStop = null;
			}
			forget(process);
		}));
	}

	/**
	 * The process and its tree are gone: the guard and the control channel let it go.
	 */
	private void forget(ChildProcess process) {
		this.supervisor.guard().unwatch(process.target());
		ControlChannel.Registration control = process.control();
		if (control != null) {
			control.unregister();
		}
	}

	private void startReadiness(ChildProcess process, WorkerSpec spec) {
		this.readinessCheck = null;
		Readiness readiness = spec.readiness();
		if (readiness instanceof Readiness.Uptime uptime) {
			this.uptimeTimer = this.supervisor.schedule(() -> {
				this.uptimeTimer = null;
				if (process.isAlive()) {
					onReady(process, Instant.now());
				}
			}, uptime.minimum());
		}
		else if (readiness instanceof Readiness.Tcp tcp) {
			startProbe(process, probe(process, tcp, tcp.timeout()), tcp.interval());
		}
		else if (readiness instanceof Readiness.Http http) {
			startProbe(process, probe(process, http, http.timeout()), http.interval());
		}
	}

	/**
	 * Return a check of a process from the outside: its TCP port or its URL.
	 */
	private @Nullable ReadinessProbe probe(ChildProcess process, Readiness readiness, Duration timeout) {
		if (readiness instanceof Readiness.Tcp tcp) {
			int target = (tcp.port() > 0) ? tcp.port() : process.context().port();
			return ReadinessProbe.tcp(tcp.host(), target, timeout, this.supervisor.io());
		}
		if (readiness instanceof Readiness.Http http) {
			URI url = URI.create(process.context().resolve(http.url()));
			return ReadinessProbe.http(this.supervisor.httpClient(), url, timeout);
		}
		return null;
	}

	private void startProbe(ChildProcess process, ReadinessProbe check, Duration interval) {
		ProbeLoop loop = new ProbeLoop(process, check, interval);
		this.probe = loop;
		loop.attempt();
	}

	private ChildProcess.StreamLineHandler lineHandler(ChildProcess process, WorkerSpec spec) {
		Pattern ready = (spec.readiness() instanceof Readiness.LogLine log) ? log.pattern() : null;
		AtomicBoolean matched = new AtomicBoolean(ready == null);
		OutputDispatcher output = this.supervisor.output();
		OutputStats stats = this.group.outputStats();
		OutputSpec.Overflow overflow = spec.output().overflow();
		return (stream, text, truncated) -> {
			process.tail().add(text);
			if (!matched.get() && ready.matcher(text).find() && matched.compareAndSet(false, true)) {
				Instant at = Instant.now();
				this.supervisor.execute(() -> onReady(process, at));
			}
			if (output.isEnabled(spec.name())) {
				output.dispatch(new OutputLine(spec.name(), this.index, process.pid(), stream, text, truncated),
						overflow, stats);
			}
		};
	}

	/**
	 * Run an action on this thread once everything a dead process sent has been read (its
	 * output and its control connection), or after half a second.
	 */
	private void whenDrained(ChildProcess process, Runnable action) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		ControlChannel.Registration control = process.control();
		CompletableFuture<Void> controlClosed = (control != null) ? control.closed()
				: CompletableFuture.completedFuture(null);
		CompletableFuture.allOf(process.outputEnded(), controlClosed).whenComplete((result, ex) -> done.complete(null));
		this.supervisor.schedule(() -> done.complete(null), Duration.ofMillis(500));
		done.thenRun(() -> this.supervisor.execute(action));
	}

	private void cancelStartupWork() {
		cancel(this.startupTimer);
		cancel(this.uptimeTimer);
		this.startupTimer = null;
		this.uptimeTimer = null;
		if (this.probe != null) {
			this.probe.cancel();
			this.probe = null;
		}
		if (this.health != null) {
			this.health.cancel();
			this.health = null;
		}
	}

	private int port(WorkerSpec spec) {
		if (this.port < 0) {
			this.port = (spec.port() > 0) ? spec.port() + this.index : spec.hasPort() ? FreePort.find() : 0;
		}
		return this.port;
	}

	private Duration stopTimeout() {
		Duration timeout = this.group.spec().stopTimeout();
		return (timeout != null) ? timeout : this.supervisor.defaultStopTimeout();
	}

	private void setState(ReplicaState state) {
		this.state = state;
		ChildProcess current = (this.child != null) ? this.child : this.last;
		this.snapshot = new ReplicaSnapshot(name(), this.index, state, (this.child != null) ? this.child.pid() : null,
				Math.max(this.port, 0), this.startedAt, (state == ReplicaState.READY) ? this.readyAt : null,
				this.restarts, this.lastExit, (current != null) ? current.command() : List.of(),
				(current != null) ? current.status() : null, List.of(), this.readinessCheck);
		if (!this.settled.isEmpty() && isSettled(state)) {
			// After the snapshot: whoever waits sees the state it was told
			List<CompletableFuture<ReplicaState>> waiting = List.copyOf(this.settled);
			this.settled.clear();
			waiting.forEach((future) -> future.complete(state));
		}
	}

	private String name() {
		return this.group.spec().name();
	}

	private String describe(ChildProcess process) {
		return "worker '" + name() + "' replica " + this.index + " (pid " + process.pid() + ")";
	}

	private String capitalized(ChildProcess process) {
		return "W" + describe(process).substring(1);
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	/**
	 * Why a running process is being stopped, which decides what follows.
	 */
	private enum Intent {

		STOP, RESTART, UNHEALTHY, STARTUP_TIMEOUT

	}

	/**
	 * Probes a starting process until it answers or is no longer starting, and keeps what
	 * the last attempt saw. Every failed attempt is logged at DEBUG; a change in what the
	 * attempts see at INFO, so a replica probed five times a second does not flood the
	 * log.
	 */
	private final class ProbeLoop {

		private final ChildProcess process;

		private final ReadinessProbe check;

		private final Duration interval;

		private volatile boolean cancelled;

		private @Nullable ScheduledFuture<?> next;

		private @Nullable String lastKind;

		ProbeLoop(ChildProcess process, ReadinessProbe check, Duration interval) {
			this.process = process;
			this.check = check;
			this.interval = interval;
		}

		void attempt() {
			if (this.cancelled) {
				return;
			}
			this.check.check().whenComplete((result, ex) -> {
				Instant at = Instant.now();
				ReadinessProbe.Result seen = (result != null) ? result
						: ReadinessProbe.Result.failed((ex != null) ? ex : new IllegalStateException(), Duration.ZERO);
				Replica.this.supervisor.execute(() -> {
					if (!this.cancelled) {
						attempted(seen, at);
					}
				});
			});
		}

		private void attempted(ReadinessProbe.Result result, Instant at) {
			Replica.this.readinessCheck = new ReplicaSnapshot.ReadinessCheck(this.check.target(), result.description(),
					at);
			if (result.ready()) {
				onReady(this.process, at);
				return;
			}
			setState(Replica.this.state);
			String seen = this.check.target() + " -> " + result.description();
			if (!result.kind().equals(this.lastKind)) {
				this.lastKind = result.kind();
				logger.info(capitalized(this.process) + " is not ready yet: " + seen);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(capitalized(this.process) + " is not ready yet: " + seen);
			}
			this.next = Replica.this.supervisor.schedule(this::attempt, this.interval);
		}

		void cancel() {
			this.cancelled = true;
			Replica.cancel(this.next);
		}

	}

}
