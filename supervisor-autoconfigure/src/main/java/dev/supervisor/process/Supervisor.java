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
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.supervisor.shutdown.Deadline;
import dev.supervisor.worker.Protocol;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs and watches the replicas of a set of worker groups: starts them, learns when they
 * are ready, restarts them by their policy with backoff, gives up at the crash-loop
 * limit, and stops them through the {@link StopLadder stop ladder}.
 * <p>
 * Every state change is decided on one thread of the supervisor's own
 * ({@code supervisor}), fed by events: a process's exit ({@link Process#onExit()}), a
 * probe's answer, a line of output, a timer. Nothing polls while nothing happens. No
 * thread is started before {@link #start()}, and none at all when there are no workers.
 *
 * @author the supervisor authors
 */
public final class Supervisor implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Supervisor.class);

	private static final int OUTPUT_QUEUE_CAPACITY = 4096;

	private final Map<String, WorkerGroup> groups = new LinkedHashMap<>();

	private final SupervisorOptions options;

	private final ScheduledThreadPoolExecutor loop;

	private final ScheduledThreadPoolExecutor ladderScheduler;

	private final ThreadPoolExecutor io;

	private final ThreadPoolExecutor spawner;

	private final ProcessLauncher launcher;

	private final StopLadder ladder;

	private final OutputDispatcher output;

	private final OrphanGuard guard;

	private final LeftoverSweep leftovers;

	private final @Nullable Posix posix;

	private final CompletableFuture<Void> started = new CompletableFuture<>();

	private final CompletableFuture<List<StopOutcome>> stopped = new CompletableFuture<>();

	private volatile Phase phase = Phase.NEW;

	private volatile @Nullable StartupFailure startFailure;

	private volatile boolean claimed;

	/** This JVM as every replica's owner marker names it: {@code pid:start-time}. */
	private final String owner;

	private @Nullable HttpClient httpClient;

	private @Nullable ControlChannel controlChannel;

	/**
	 * Create a supervisor for the given worker groups.
	 * @param specs the worker groups
	 * @param options the settings
	 */
	public Supervisor(List<WorkerSpec> specs, SupervisorOptions options) {
		this(specs, options, Platform.current(options.nativeAccess()));
	}

	Supervisor(List<WorkerSpec> specs, SupervisorOptions options, Platform platform) {
		this.options = options;
		for (WorkerSpec spec : specs) {
			if (this.groups.putIfAbsent(spec.name(), new WorkerGroup(this, spec)) != null) {
				throw new IllegalArgumentException("Two workers are named '" + spec.name() + "'");
			}
		}
		// Like a web server, a supervisor with replicas to watch keeps the JVM alive
		this.loop = scheduler("supervisor", false);
		this.ladderScheduler = scheduler("supervisor-ladder", true);
		this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				threads("supervisor-io-", true));
		int spawners = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
		this.spawner = new ThreadPoolExecutor(spawners, spawners, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				threads("supervisor-spawn-", true));
		this.spawner.allowCoreThreadTimeOut(true);
		ProcessTable table = new ProcessTable(platform.procfs(), Duration.ofMillis(10));
		MarkerSearch markers = new MarkerSearch(table);
		this.owner = markers.owner();
		this.ladder = new StopLadder(new Signaller(platform, table), table, markers, this.ladderScheduler,
				options.reapTimeout());
		this.leftovers = new LeftoverSweep(table, this.ladder, markers.owner());
		Map<String, String> environment = new LinkedHashMap<>(options.environment());
		// The owner always: by it the ladder finds what left a replica's tree
		environment.put(WorkerEnvironment.OWNER, markers.owner());
		if (options.identity() != null) {
			environment.put(WorkerEnvironment.APP, options.identity());
		}
		this.launcher = new ProcessLauncher(platform, environment);
		this.posix = platform.posix();
		this.output = new OutputDispatcher(options.outputSink(), OUTPUT_QUEUE_CAPACITY);
		this.guard = new OrphanGuard(platform, options.orphanGrace(), this.ladderScheduler);
		if (!options.orphanGuard()) {
			this.guard.close();
		}
		if (!specs.isEmpty() && logger.isDebugEnabled()) {
			logger.debug((platform.posix() != null) ? "Replicas are started by posix_spawn in sessions of their own"
					: "Replicas are started through the JDK" + ((platform.setsid() != null) ? " and setsid" : "")
							+ "; posix_spawn is not used: " + whyNotDirect(options));
		}
		if (!specs.isEmpty()) {
			// Said once, at start: a system that lacks what a guarantee needs gives it up
			// in silence otherwise
			platform.missingGuarantees(options.identity() != null, options.orphanGuard())
				.forEach((missing) -> logger.warn("Weaker guarantee on this system: " + missing));
		}
	}

	/**
	 * Find out ahead, on a daemon thread, whether replicas can be started by
	 * {@code posix_spawn} called directly, so that the first supervisor does not wait for
	 * it: on JDK 22+ with native access granted, linking the calls takes a few hundred
	 * milliseconds. Call it early in the application's start; nothing else needs it.
	 */
	public static void prepareNativeAccess() {
		Posix.prepare();
	}

	/**
	 * Return why replicas are not started by {@code posix_spawn}.
	 * @param options the settings
	 * @return the reason
	 */
	static String whyNotDirect(SupervisorOptions options) {
		if (!options.nativeAccess()) {
			return "native access is turned off";
		}
		String reason = Posix.unavailableReason();
		return (reason != null) ? reason : "not available";
	}

	/**
	 * Start every replica.
	 * @return a future completing when every replica has been ready once, or failing with
	 * a {@link WorkerStartupException} as soon as one fails to start (one that timed out
	 * once it is stopped), or a group with {@link GiveUpAction#SHUTDOWN} gives up
	 */
	public CompletableFuture<Void> start() {
		if (this.groups.isEmpty()) {
			this.phase = Phase.RUNNING;
			this.started.complete(null);
			return this.started;
		}
		try {
			// Everything a stop needs runs on these: they exist before the first replica
			this.loop.prestartAllCoreThreads();
			this.ladderScheduler.prestartAllCoreThreads();
			this.spawner.prestartAllCoreThreads();
		}
		catch (OutOfMemoryError ex) {
			this.phase = Phase.START_FAILED;
			this.started.completeExceptionally(new IllegalStateException(
					"The supervisor's threads could not be created (" + ex.getMessage() + "); no worker was started",
					ex));
			return this.started;
		}
		if (!this.claimed) {
			this.claimed = true;
			MarkerSearch.claim(this.groups.keySet());
		}
		String identity = this.options.identity();
		CompletableFuture<?> swept = (identity != null) ? CompletableFuture
			.supplyAsync(() -> this.leftovers.sweep(identity, this.options.orphanGrace()), this.io)
			.thenCompose((sweep) -> sweep) : CompletableFuture.completedFuture(null);
		// Leftovers of an earlier run are gone before anything new starts
		swept.whenComplete((result, ex) -> execute(() -> {
			if (ex != null) {
				logger.warn("Could not look for leftovers of an earlier run", ex);
			}
			if (this.phase != Phase.NEW) {
				return;
			}
			this.phase = Phase.STARTING;
			this.spawner.execute(this.guard::prestart);
			this.groups.values().forEach(WorkerGroup::start);
			checkStarted();
		}));
		return this.started;
	}

	/**
	 * Stop every replica through the stop ladder, concurrently. Calling it again with an
	 * earlier deadline brings the deadline forward.
	 * @param deadline when to stop asking and kill
	 * @return a future completing with the outcome of every stopped process once all of
	 * them and their descendants are gone
	 */
	public CompletableFuture<List<StopOutcome>> stop(Deadline deadline) {
		if (this.groups.isEmpty()) {
			this.phase = Phase.STOPPED;
			this.stopped.complete(List.of());
			return this.stopped;
		}
		boolean accepted = execute(() -> {
			if (this.phase == Phase.STOPPING || this.phase == Phase.STOPPED) {
				this.groups.values().forEach((group) -> group.tighten(deadline));
				return;
			}
			if (this.phase == Phase.STARTING) {
				this.started.completeExceptionally(new CancellationException("Stopped while starting"));
			}
			this.phase = Phase.STOPPING;
			List<CompletableFuture<@Nullable StopOutcome>> stops = new ArrayList<>();
			// One wave: every replica is asked at once, killed at once at the deadline
			this.ladder.wave(() -> {
				this.groups.values().forEach((group) -> stops.addAll(group.stop(deadline)));
				return stops;
			});
			StopOutcome.collect(stops).whenComplete((outcomes, ex) -> {
				if (!execute(() -> {
					this.phase = Phase.STOPPED;
					this.stopped.complete(outcomes);
				})) {
					this.stopped.complete(outcomes);
				}
			});
		});
		if (!accepted) {
			// Closed: whatever ran was stopped or abandoned then
			this.stopped.complete(List.of());
		}
		return this.stopped;
	}

	/**
	 * Restart every replica of a worker group through the stop ladder. A group that gave
	 * up is given another chance.
	 * @param worker the worker group
	 * @return a future completing once every replica was started again, with how each
	 * process was stopped
	 */
	public CompletableFuture<List<StopOutcome>> restart(String worker) {
		WorkerGroup group = group(worker);
		return call(group::restart);
	}

	/**
	 * Restart one replica through the stop ladder.
	 * @param worker the worker group
	 * @param replica the replica index
	 * @return a future completing once the replica was started again, with how its
	 * process was stopped
	 */
	public CompletableFuture<List<StopOutcome>> restart(String worker, int replica) {
		WorkerGroup group = group(worker);
		return call(() -> {
			if (replica < 0 || replica >= group.size()) {
				return CompletableFuture.failedFuture(new IllegalArgumentException("Worker '" + worker
						+ "' has no replica " + replica + " (replicas are 0 to " + (group.size() - 1) + ")"));
			}
			return group.restart(replica);
		});
	}

	/**
	 * Change how many replicas a worker group runs. Extra replicas are stopped through
	 * the stop ladder, highest index first.
	 * @param worker the worker group
	 * @param replicas the new number of replicas
	 * @return a future completing once new replicas are ready (or failed: their group
	 * gave up) and removed ones stopped, with how each removed one was stopped
	 */
	public CompletableFuture<List<StopOutcome>> scale(String worker, int replicas) {
		if (replicas < 0) {
			throw new IllegalArgumentException("Replicas must not be negative, got " + replicas);
		}
		WorkerGroup group = group(worker);
		// Refused here, not on the state thread: ports beyond 65535
		group.spec().withReplicas(replicas);
		Duration stopTimeout = (group.spec().stopTimeout() != null) ? group.spec().stopTimeout()
				: this.options.defaultStopTimeout();
		return call(() -> group.scale(replicas, stopTimeout));
	}

	/**
	 * Return the settings this supervisor was created with.
	 * @return the settings
	 */
	public SupervisorOptions options() {
		return this.options;
	}

	/**
	 * Return whether replicas are started by {@code posix_spawn} called directly (JDK 22+
	 * with native access granted), rather than through the JDK and {@code setsid}.
	 * @return {@code true} if they are
	 */
	public boolean spawnsDirectly() {
		return this.launcher.spawnsDirectly();
	}

	/**
	 * Return the names of the worker groups.
	 * @return the names, in configuration order
	 */
	public List<String> workers() {
		return List.copyOf(this.groups.keySet());
	}

	/**
	 * Return the spec a worker group runs with now.
	 * @param worker the worker group
	 * @return the spec
	 */
	public WorkerSpec spec(String worker) {
		return group(worker).spec();
	}

	/**
	 * Return a picture of every group with the last output lines of each replica.
	 * @return the groups
	 */
	public List<GroupSnapshot> snapshot() {
		return this.groups.values().stream().map((group) -> group.snapshot(true)).toList();
	}

	/**
	 * Return a picture of one group, without output lines: cheap enough for gauges.
	 * @param worker the worker group
	 * @return the group
	 */
	public GroupSnapshot snapshot(String worker) {
		return group(worker).snapshot(false);
	}

	/**
	 * Return a picture of one group with the last output lines of each replica.
	 * @param worker the worker group
	 * @return the group, or {@code null} if there is no such group
	 */
	public @Nullable GroupSnapshot find(String worker) {
		WorkerGroup group = this.groups.get(worker);
		return (group != null) ? group.snapshot(true) : null;
	}

	/**
	 * Stop everything still running (within the default stop timeout) and release the
	 * supervisor's threads.
	 */
	@Override
	public void close() {
		if (this.phase != Phase.NEW && this.phase != Phase.STOPPED) {
			Duration timeout = this.options.defaultStopTimeout();
			Duration patience = timeout.plus(this.options.reapTimeout()).plusSeconds(5);
			try {
				stop(Deadline.after(timeout)).get(patience.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				logger.warn("Replicas could not all be stopped: " + ex.getCause());
			}
			catch (TimeoutException ex) {
				logger.warn("Replicas could not all be stopped within " + patience.toMillis() + "ms; not stopped: "
						+ notStopped());
			}
		}
		this.phase = Phase.STOPPED;
		this.loop.shutdownNow();
		this.ladderScheduler.shutdownNow();
		this.io.shutdownNow();
		this.spawner.shutdownNow();
		this.output.close();
		this.guard.close();
		if (this.claimed) {
			this.claimed = false;
			MarkerSearch.release(this.groups.keySet());
		}
		synchronized (this) {
			if (this.controlChannel != null) {
				this.controlChannel.close();
			}
		}
	}

	Phase phase() {
		return this.phase;
	}

	/**
	 * Describe the replicas that still have, or may have, a process.
	 */
	private String notStopped() {
		List<String> replicas = new ArrayList<>();
		for (WorkerGroup group : this.groups.values()) {
			for (ReplicaSnapshot replica : group.snapshot(false).replicas()) {
				if (replica.state().hasProcess()) {
					replicas.add("worker '" + group.spec().name() + "' replica " + replica.index() + " ("
							+ replica.state() + ((replica.pid() != null) ? ", pid " + replica.pid() : "") + ")");
				}
			}
		}
		return replicas.isEmpty() ? "none known" : String.join(", ", replicas);
	}

	boolean acceptsStarts() {
		return this.phase == Phase.STARTING || this.phase == Phase.RUNNING;
	}

	void checkStarted() {
		if (this.phase == Phase.STARTING && this.groups.values().stream().allMatch(WorkerGroup::everReady)) {
			this.phase = Phase.RUNNING;
			this.started.complete(null);
		}
	}

	/**
	 * Fail the start: no replica is started or restarted any more.
	 * @param failure what failed
	 */
	void failStart(StartupFailure failure) {
		failStart(failure, CompletableFuture.completedFuture(null));
	}

	/**
	 * Fail the start, if it is under way: no replica is started or restarted any more.
	 * The first failure decides; later ones are part of the same story, not its cause.
	 * @param failure what failed
	 * @param reported completes when the start may be reported as failed, for example
	 * once the replica that timed out is stopped
	 * @return {@code true} if this failure failed the start
	 */
	boolean failStart(StartupFailure failure, CompletableFuture<?> reported) {
		if (this.phase != Phase.STARTING) {
			return false;
		}
		this.phase = Phase.START_FAILED;
		this.startFailure = failure;
		reported.whenComplete((result, ex) -> this.started.completeExceptionally(new WorkerStartupException(failure)));
		return true;
	}

	/**
	 * Return the failure that failed the start, if one did.
	 * @return the failure or {@code null}
	 */
	@Nullable StartupFailure startFailure() {
		return this.startFailure;
	}

	void emit(SupervisorEvent event) {
		try {
			this.options.listener().onEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Supervisor listener failed on " + event, ex);
		}
	}

	/**
	 * Run a task on the loop that decides every state transition.
	 * @param task the task
	 * @return {@code false} if the supervisor is closed and the task will not run
	 */
	boolean execute(Runnable task) {
		try {
			this.loop.execute(guarded(task));
			return true;
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing is decided any more
			return false;
		}
		catch (OutOfMemoryError ex) {
			// Its thread could not be created, which start() does first
			logger.error("The supervisor's thread could not be created: " + ex.getMessage());
			return false;
		}
	}

	@Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		try {
			return this.loop.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	Duration defaultStopTimeout() {
		return this.options.defaultStopTimeout();
	}

	ProcessLauncher launcher() {
		return this.launcher;
	}

	StopLadder ladder() {
		return this.ladder;
	}

	OutputDispatcher output() {
		return this.output;
	}

	OrphanGuard guard() {
		return this.guard;
	}

	Executor io() {
		return this.io;
	}

	Executor spawner() {
		return this.spawner;
	}

	/**
	 * Return the control channel, opening it the first time a worker needs it.
	 * @return the channel
	 * @throws IOException if it cannot be opened
	 */
	synchronized ControlChannel controlChannel() throws IOException {
		if (this.controlChannel == null) {
			this.controlChannel = ControlChannel.open(this.owner, this.options.identity(), this.posix,
					() -> whyNotDirect(this.options));
		}
		return this.controlChannel;
	}

	/**
	 * Return what a process needs to find the control channel and say who it is.
	 * @param control its registration
	 * @param spec its worker
	 * @return the environment variables
	 */
	Map<String, String> controlEnvironment(ControlChannel.Registration control, WorkerSpec spec) {
		Map<String, String> environment = new LinkedHashMap<>();
		synchronized (this) {
			environment.put(Protocol.SOCKET, this.controlChannel.socket().toString());
		}
		environment.put(Protocol.SECRET, control.secret());
		environment.put(Protocol.GRACE, Long.toString(this.options.orphanGrace().toMillis()));
		if (spec.heartbeatTimeout() != null) {
			// Three heartbeats per timeout: one lost or late heartbeat is not a hang
			long interval = Math.max(50, spec.heartbeatTimeout().toMillis() / 3);
			environment.put(Protocol.HEARTBEAT, Long.toString(interval));
		}
		return environment;
	}

	synchronized HttpClient httpClient() {
		if (this.httpClient == null) {
			this.httpClient = HttpClient.newBuilder()
				.executor(this.io)
				.connectTimeout(Duration.ofSeconds(5))
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
		}
		return this.httpClient;
	}

	private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> action) {
		CompletableFuture<T> result = new CompletableFuture<>();
		execute(() -> {
			if (!acceptsStarts()) {
				result.completeExceptionally(new IllegalStateException("The supervisor is not running"));
				return;
			}
			CompletableFuture<T> started;
			try {
				started = action.get();
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
				return;
			}
			started.whenComplete((value, ex) -> {
				if (ex != null) {
					result.completeExceptionally(ex);
				}
				else {
					result.complete(value);
				}
			});
		});
		return result;
	}

	private WorkerGroup group(String worker) {
		WorkerGroup group = this.groups.get(worker);
		if (group == null) {
			throw new IllegalArgumentException(
					"No worker named '" + worker + "'; known workers are " + this.groups.keySet());
		}
		return group;
	}

	private static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException | Error ex) {
				logger.error("Supervisor state change failed", ex);
			}
		};
	}

	private static ScheduledThreadPoolExecutor scheduler(String name, boolean daemon) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads(name, daemon));
		executor.setRemoveOnCancelPolicy(true);
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return executor;
	}

	private static ThreadFactory threads(String name, boolean daemon) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name.endsWith("-") ? name + count.incrementAndGet() : name);
			thread.setDaemon(daemon);
			return thread;
		};
	}

	/**
	 * Where the supervisor is in its own life.
	 */
	enum Phase {

		NEW, STARTING, RUNNING, START_FAILED, STOPPING, STOPPED

	}

}
