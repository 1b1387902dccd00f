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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.supervisor.shutdown.Deadline;
import dev.supervisor.worker.Protocol.Message;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one way a replica process is stopped, whatever the reason: a graceful request (the
 * stop signal, to the replica's process group and to every descendant known to have left
 * it), a wait until the deadline, SIGKILL of the whole tree, and a reap with a short
 * bound. A stop completes only when the process and its descendants are gone. The tree
 * includes what left both the process group and the parent links, such as a daemon that
 * forked twice: it is found by the replica's markers in its environment
 * ({@link MarkerSearch}).
 * <p>
 * The same ladder cleans up after a replica that exited on its own: whatever it left in
 * its process group, or marked with its markers, is asked to stop, then killed.
 * <p>
 * Stops requested together, such as every replica at shutdown, form a wave
 * ({@link #wave(Supplier)}): the process table is read once for all of them, the marked
 * processes are looked up once, and each signal goes out in one batch
 * ({@link Signaller}), so the last replica is asked within the time of the {@code kill}
 * calls after the first. Every stop due at a deadline is killed in one batch the same
 * way. Every step runs on the ladder's own thread, which sends the signals itself.
 * <p>
 * Waiting holds no thread: the process's exit is an event, the deadline a scheduled task.
 * Only processes that are not the supervisor's own children (grandchildren) are looked up
 * in the process table, with a growing interval, one read for every stop still waiting.
 *
 * @author the supervisor authors
 */
final class StopLadder {

	private static final Log logger = LogFactory.getLog(StopLadder.class);

	private static final long MAX_POLL_MILLIS = 50;

	private static final Duration MIN_SLICE = Duration.ofMillis(500);

	private static final Duration MAX_SLICE = Duration.ofSeconds(5);

	/** Deadlines this close together are one: their stops are escalated in one batch. */
	private static final long TOGETHER_NANOS = Duration.ofMillis(2).toNanos();

	private final Signaller signaller;

	private final ProcessTable table;

	private final MarkerSearch markers;

	private final ScheduledExecutorService scheduler;

	private final Duration reapTimeout;

	/** Stops requested and not begun yet; it guards the two fields below, too. */
	private final List<Stop> requested = new ArrayList<>();

	private int openWaves;

	private boolean beginScheduled;

	/** Stops begun and not finished. */
	private final Set<Stop> active = ConcurrentHashMap.newKeySet();

	/** Stops whose process is gone or was killed, waiting for the rest: ladder thread. */
	private final Set<Stop> watched = new LinkedHashSet<>();

	private @Nullable ScheduledFuture<?> poll;

	private long pollMillis = 1;

	StopLadder(Signaller signaller, ProcessTable table, MarkerSearch markers, ScheduledExecutorService scheduler,
			Duration reapTimeout) {
		this.signaller = signaller;
		this.table = table;
		this.markers = markers;
		this.scheduler = scheduler;
		this.reapTimeout = reapTimeout;
	}

	/**
	 * Request stops as one wave: the stops that the action requests begin together, with
	 * one read of the process table and one batch of signals.
	 * @param <T> what the action returns
	 * @param requests requests the stops
	 * @return what the action returned
	 */
	<T> T wave(Supplier<T> requests) {
		synchronized (this.requested) {
			this.openWaves++;
		}
		try {
			return requests.get();
		}
		finally {
			closeWave();
		}
	}

	private void closeWave() {
		synchronized (this.requested) {
			this.openWaves--;
			if (this.openWaves == 0 && !this.requested.isEmpty()) {
				scheduleBegin();
			}
		}
	}

	/**
	 * Stop a replica process and everything it started.
	 * @param child the process
	 * @param signal the graceful stop signal
	 * @param deadline when to stop asking and kill the tree
	 * @return the running stop
	 */
	Stop stop(StopTarget child, Signal signal, Deadline deadline) {
		Stop stop = new Stop(child, signal, deadline);
		synchronized (this.requested) {
			this.requested.add(stop);
			if (this.openWaves == 0) {
				scheduleBegin();
			}
		}
		return stop;
	}

	private void scheduleBegin() {
		if (!this.beginScheduled) {
			this.beginScheduled = true;
			// On the ladder's thread: looking for the trees reads /proc
			submit(this::begin, 0);
		}
	}

	/**
	 * Begin the stops of a wave: find their trees, ask each, one batch per signal. What
	 * only the markers find is asked right after: looking for it must not hold up the
	 * replicas themselves.
	 */
	private void begin() {
		List<Stop> wave;
		synchronized (this.requested) {
			wave = new ArrayList<>(this.requested);
			this.requested.clear();
			this.beginScheduled = false;
		}
		if (wave.isEmpty()) {
			return;
		}
		try {
			begin(wave);
		}
		catch (RuntimeException | Error ex) {
			// Say, no thread for a 'kill' process: whatever did not begin is still
			// killed at its deadline, so every stop completes
			logger.error("Could not ask " + wave.size() + " replica process(es) to stop; they are killed at their"
					+ " deadline", ex);
			for (Stop stop : wave) {
				if (!stop.begun && !stop.result().isDone()) {
					stop.begun = true;
					this.active.add(stop);
					stop.scheduleEscalation();
					stop.watchExit();
				}
			}
		}
	}

	private void begin(List<Stop> wave) {
		long began = System.nanoTime();
		ProcessTable.Snapshot snapshot = this.table.read();
		long read = System.nanoTime();
		List<Stop> exited = new ArrayList<>();
		for (Stop stop : wave) {
			stop.running = stop.child.isAlive();
			if (stop.running) {
				stop.addDescendants(snapshot);
			}
			else {
				exited.add(stop);
			}
		}
		// Whether anything is left of a process that is gone is known only after this
		searchMarkers(exited, snapshot);
		Map<Signal, List<Stop>> bySignal = new EnumMap<>(Signal.class);
		List<Stop> running = new ArrayList<>();
		for (Stop stop : wave) {
			if (!stop.running && stop.rest(snapshot).isEmpty()) {
				stop.finish(snapshot);
				continue;
			}
			stop.begun = true;
			this.active.add(stop);
			if (stop.running) {
				running.add(stop);
			}
			if (!stop.running || !stop.askByMessage()) {
				bySignal.computeIfAbsent(stop.signal, (signal) -> new ArrayList<>()).add(stop);
			}
		}
		bySignal.forEach((signal, stops) -> sendGraceful(signal, stops, snapshot));
		long sent = System.nanoTime();
		signalFound(searchMarkers(running, snapshot));
		if (logger.isDebugEnabled()) {
			logger.debug(String.format(
					"Began %d stop(s): %d processes read in %.1fms, signals sent %.1fms later, markers searched in"
							+ " %.1fms",
					wave.size(), snapshot.byPid().size(), (read - began) / 1e6, (sent - read) / 1e6,
					(System.nanoTime() - sent) / 1e6));
		}
		for (Stop stop : wave) {
			if (stop.begun) {
				stop.scheduleEscalation();
				stop.watchExit();
			}
		}
	}

	private void sendGraceful(Signal signal, List<Stop> stops, ProcessTable.Snapshot snapshot) {
		Set<SignalTarget> targets = new LinkedHashSet<>();
		stops.forEach((stop) -> targets.addAll(stop.gracefulTargets(snapshot)));
		Instant sent = this.signaller.send(signal, targets);
		for (Stop stop : stops) {
			stop.signalledAt = sent;
			if (stop.askedAt == null) {
				stop.askedAt = sent;
			}
		}
	}

	/**
	 * Send the stop signal that follows an in-band {@code STOP}, to every stop for which
	 * it is due now, in one batch per signal.
	 */
	private void signalDue() {
		Map<Signal, List<Stop>> bySignal = new EnumMap<>(Signal.class);
		for (Stop stop : this.active) {
			if (stop.signalIsDue()) {
				bySignal.computeIfAbsent(stop.signal, (signal) -> new ArrayList<>()).add(stop);
			}
		}
		if (bySignal.isEmpty()) {
			return;
		}
		ProcessTable.Snapshot snapshot = this.table.read();
		List<Stop> due = bySignal.values().stream().flatMap(List::stream).toList();
		due.forEach((stop) -> stop.addDescendants(snapshot));
		searchMarkers(due, snapshot);
		bySignal.forEach((signal, stops) -> sendGraceful(signal, stops, snapshot));
	}

	/**
	 * Kill the trees of every stop whose deadline has come, all at once. First every
	 * process known of them, through the JDK: no process to start, and each handle checks
	 * its process's start time. Then their process groups in one batch: where
	 * {@code kill(2)} is called directly that is immediate; where a {@code kill} process
	 * has to be started, the members of the groups, and what is new in the trees, are
	 * first killed through the JDK from one read of the process table.
	 */
	private void escalateDue() {
		List<Stop> due = new ArrayList<>();
		for (Stop stop : this.active) {
			if (!stop.escalated && !stop.result.isDone() && stop.deadline.remaining().toNanos() <= TOGETHER_NANOS) {
				due.add(stop);
			}
		}
		if (due.isEmpty()) {
			return;
		}
		long began = System.nanoTime();
		Set<SignalTarget> groups = new LinkedHashSet<>();
		// Taken as the wave's first SIGKILL goes out: whatever exits after it was killed
		Instant killing = Instant.now();
		for (Stop stop : due) {
			stop.escalated = true;
			stop.killedAt = killing;
			stop.killKnown();
			SignalTarget group = stop.child.wholeTree() ? stop.child.group() : null;
			if (group != null) {
				groups.add(group);
			}
		}
		long known = System.nanoTime();
		boolean sent = this.signaller.direct();
		if (sent) {
			this.signaller.send(Signal.KILL, groups);
		}
		ProcessTable.Snapshot snapshot = this.table.read();
		long read = System.nanoTime();
		for (Stop stop : due) {
			stop.killRest(snapshot);
		}
		Map<Stop, List<Long>> found = searchMarkers(due, snapshot);
		found.keySet().forEach(Stop::killKnown);
		if (!sent) {
			this.signaller.send(Signal.KILL, groups);
		}
		long reapBy = System.nanoTime() + this.reapTimeout.toNanos();
		for (Stop stop : due) {
			stop.reapBy = reapBy;
			watch(stop);
		}
		if (logger.isDebugEnabled()) {
			logger.debug(String.format(
					"Killed %d replica(s) and their trees at the stop deadline: known processes in %.1fms, the"
							+ " process table read %.1fms later, groups %s signalled %.1fms later",
					due.size(), (known - began) / 1e6, (read - known) / 1e6, groups, (System.nanoTime() - read) / 1e6));
		}
	}

	/**
	 * Look, once for all the stops, for processes that carry their markers and were not
	 * found otherwise.
	 * @return the processes found, of each stop that found any
	 */
	private Map<Stop, List<Long>> searchMarkers(Collection<Stop> stops, ProcessTable.Snapshot snapshot) {
		Map<MarkerSearch.Marks, Stop> byMarks = new HashMap<>();
		Set<Long> known = new HashSet<>();
		for (Stop stop : stops) {
			MarkerSearch.Marks marks = stop.child.wholeTree() ? stop.child.marks() : null;
			if (marks != null && !stop.result.isDone()) {
				byMarks.put(marks, stop);
				known.addAll(stop.covered(snapshot));
			}
		}
		if (byMarks.isEmpty()) {
			return Map.of();
		}
		Map<Stop, List<Long>> found = new LinkedHashMap<>();
		this.markers.find(snapshot, byMarks.keySet(), known::contains).forEach((marks, pids) -> {
			Stop stop = byMarks.get(marks);
			List<Long> added = stop.found(pids);
			if (!added.isEmpty()) {
				found.put(stop, added);
			}
		});
		return found;
	}

	private void watch(Stop stop) {
		if (stop.result.isDone()) {
			return;
		}
		this.watched.add(stop);
		if (this.poll == null || this.poll.getDelay(TimeUnit.MILLISECONDS) > 1) {
			if (this.poll != null) {
				this.poll.cancel(false);
			}
			this.pollMillis = 1;
			this.poll = submit(this::pollWatched, TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	/**
	 * Look at every stop whose process is gone or was killed, with one read of the
	 * process table: finish those whose tree is gone too.
	 */
	private void pollWatched() {
		this.poll = null;
		if (this.watched.isEmpty()) {
			return;
		}
		ProcessTable.Snapshot snapshot = this.table.read();
		List<Stop> settled = new ArrayList<>();
		Iterator<Stop> stops = this.watched.iterator();
		while (stops.hasNext()) {
			Stop stop = stops.next();
			if (stop.result.isDone()) {
				stops.remove();
				continue;
			}
			boolean alive = stop.child.isAlive();
			if (!alive && stop.running && stop.exitedAt == null) {
				// Not our child: its exit is seen here
				stop.exitedAt = Instant.now();
			}
			if (!alive && stop.rest(snapshot).isEmpty()) {
				settled.add(stop);
			}
			else if (stop.escalated && System.nanoTime() - stop.reapBy < 0) {
				// Killed, yet something of the tree is there: new since, or not yet gone
				stop.killRest(snapshot);
			}
			else if (stop.escalated) {
				logger.warn("Processes of " + stop.child + " are still alive after SIGKILL: "
						+ (alive ? List.of(stop.child.pid()) : stop.rest(snapshot)));
				stop.finish(snapshot);
				stops.remove();
			}
		}
		// A last look for marked processes, started while the tree was going
		Map<Stop, List<Long>> more = searchMarkers(settled, snapshot);
		signalFound(more);
		for (Stop stop : settled) {
			if (!more.containsKey(stop)) {
				stop.finish(snapshot);
				this.watched.remove(stop);
			}
		}
		if (!this.watched.isEmpty()) {
			long next = this.pollMillis;
			this.pollMillis = Math.min(next * 2, MAX_POLL_MILLIS);
			this.poll = submit(this::pollWatched, TimeUnit.MILLISECONDS.toNanos(next));
		}
	}

	/**
	 * Send what the stops are at to processes found late: SIGKILL after the deadline, the
	 * stop signal before it (unless a {@code STOP} message asked and the signal is still
	 * to come: then they get it with the rest).
	 */
	private void signalFound(Map<Stop, List<Long>> found) {
		Map<Signal, Set<SignalTarget>> bySignal = new EnumMap<>(Signal.class);
		found.forEach((stop, pids) -> {
			if (stop.escalated) {
				stop.killKnown();
			}
			else if (stop.signalledAt != null) {
				pids.forEach((pid) -> bySignal.computeIfAbsent(stop.signal, (key) -> new LinkedHashSet<>())
					.add(SignalTarget.process(pid)));
			}
		});
		bySignal.forEach(this.signaller::send);
	}

	private @Nullable ScheduledFuture<?> submit(Runnable task, long delayNanos) {
		try {
			return this.scheduler.schedule(() -> {
				try {
					task.run();
				}
				catch (RuntimeException | Error ex) {
					logger.error("Stop ladder failed", ex);
				}
			}, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			abandon();
			return null;
		}
	}

	/**
	 * The supervisor is closing: finish every stop with what is known now.
	 */
	private void abandon() {
		List<Stop> stops;
		synchronized (this.requested) {
			stops = new ArrayList<>(this.requested);
			this.requested.clear();
		}
		stops.addAll(this.active);
		ProcessTable.Snapshot snapshot = this.table.snapshot();
		stops.forEach((stop) -> stop.finish(snapshot));
	}

	/**
	 * A stop under way. Its steps run on the ladder's thread.
	 */
	final class Stop {

		private final StopTarget child;

		private final Signal signal;

		private final Instant requestedAt = Instant.now();

		private final long requestedNanos = System.nanoTime();

		private final CompletableFuture<StopOutcome> result = new CompletableFuture<>();

		/** What was found of the tree, by pid. */
		private final Map<Long, ProcessHandle> known = new LinkedHashMap<>();

		/** The part of it found only by its markers. */
		private final Set<Long> marked = new LinkedHashSet<>();

		private volatile Deadline deadline;

		private boolean begun;

		private boolean running;

		private boolean escalated;

		private long reapBy;

		private @Nullable ScheduledFuture<?> escalation;

		private @Nullable ScheduledFuture<?> signalTask;

		private Duration signalSlice = MIN_SLICE;

		private boolean stopMessage;

		private volatile @Nullable Instant askedAt;

		private volatile @Nullable Instant signalledAt;

		private volatile @Nullable Instant exitedAt;

		private volatile @Nullable Instant killedAt;

		Stop(StopTarget child, Signal signal, Deadline deadline) {
			this.child = child;
			this.signal = signal;
			this.deadline = deadline;
		}

		CompletableFuture<StopOutcome> result() {
			return this.result;
		}

		/**
		 * Bring the deadline forward, for example when the application shuts down while a
		 * replica is being restarted. A later deadline is ignored.
		 * @param earlier the new deadline
		 */
		void tighten(Deadline earlier) {
			synchronized (this) {
				if (this.result.isDone() || earlier.compareTo(this.deadline) >= 0) {
					return;
				}
				this.deadline = earlier;
			}
			submit(this::rescheduled, 0);
		}

		private void rescheduled() {
			if (!this.begun || this.result.isDone()) {
				return;
			}
			if (this.stopMessage && this.signalledAt == null) {
				scheduleSignal();
			}
			if (!this.escalated) {
				scheduleEscalation();
			}
		}

		/**
		 * Ask by a {@code STOP} message on the control channel, if the process has one;
		 * the signal follows shortly before the deadline if the tree is still there.
		 * @return {@code true} if the message was written
		 */
		private boolean askByMessage() {
			ControlChannel.Registration control = this.child.control();
			Deadline by = this.deadline;
			if (control == null || !control.send(new Message.Stop(by.instant(), by.remaining()))) {
				return false;
			}
			this.askedAt = Instant.now();
			this.stopMessage = true;
			this.signalSlice = slice(by.remaining());
			scheduleSignal();
			return true;
		}

		/**
		 * Return how much of the budget is kept for the signal after an in-band STOP: a
		 * quarter, at least half a second (a JVM needs a few hundred milliseconds to act
		 * on SIGTERM) and at most 5 seconds.
		 */
		private static Duration slice(Duration budget) {
			Duration quarter = budget.dividedBy(4);
			return (quarter.compareTo(MIN_SLICE) < 0) ? MIN_SLICE
					: (quarter.compareTo(MAX_SLICE) > 0) ? MAX_SLICE : quarter;
		}

		private void scheduleSignal() {
			cancel(this.signalTask);
			long delay = this.deadline.remaining().minus(this.signalSlice).toNanos();
			this.signalTask = submit(StopLadder.this::signalDue, Math.max(0, delay));
		}

		private boolean signalIsDue() {
			return this.stopMessage && this.signalledAt == null && !this.escalated && !this.result.isDone()
					&& this.deadline.remaining().minus(this.signalSlice).toNanos() <= TOGETHER_NANOS;
		}

		private void scheduleEscalation() {
			cancel(this.escalation);
			this.escalation = submit(StopLadder.this::escalateDue, Math.max(0, this.deadline.remaining().toNanos()));
		}

		/**
		 * Watch for the process's exit: an event for our child, the process table for
		 * another.
		 */
		private void watchExit() {
			CompletableFuture<?> exited = this.child.exited();
			if (exited == null) {
				watch(this);
				return;
			}
			exited.whenComplete((process, ex) -> {
				if (this.running) {
					this.exitedAt = Instant.now();
				}
				// Off the JDK's reaper thread
				submit(() -> watch(this), 0);
			});
		}

		/**
		 * Return what the stop signal goes to: the process group and what left it.
		 */
		private Set<SignalTarget> gracefulTargets(ProcessTable.Snapshot snapshot) {
			Set<SignalTarget> targets = new LinkedHashSet<>();
			if (!this.child.wholeTree()) {
				// Checked again just before it is signalled: only it was proven ours
				if (this.child.isAlive()) {
					targets.add(this.child.target());
				}
				return targets;
			}
			targets.add(this.child.target());
			SignalTarget group = this.child.group();
			for (ProcessHandle handle : this.known.values()) {
				if (group == null || snapshot.groupOf(handle.pid()) != group.id()) {
					targets.add(SignalTarget.process(handle.pid()));
				}
			}
			return targets;
		}

		/**
		 * Kill the process and every process known of its tree through the JDK: a handle
		 * checks its process's start time, so a reused pid is not taken for it.
		 */
		private void killKnown() {
			this.child.kill();
			this.known.values().forEach(ProcessHandle::destroyForcibly);
		}

		/**
		 * Kill, through the JDK, what the process table shows of the tree that is still
		 * alive: the members of the process group and descendants not known before.
		 */
		private void killRest(ProcessTable.Snapshot snapshot) {
			if (!this.child.wholeTree()) {
				return;
			}
			if (this.child.isAlive()) {
				addDescendants(snapshot);
			}
			killKnown();
			SignalTarget group = this.child.group();
			if (group != null) {
				for (long member : snapshot.groupMembers(group.id())) {
					// Listed as a member a moment ago: the process, not a reused pid
					ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
				}
			}
		}

		/**
		 * Add the descendants of the process, from the process table where there is one:
		 * asking the JDK reads all of /proc again for every replica.
		 * @return those not known before
		 */
		private List<Long> addDescendants(ProcessTable.Snapshot snapshot) {
			List<Long> added = new ArrayList<>();
			if (!this.child.wholeTree()) {
				return added;
			}
			if (!StopLadder.this.table.available()) {
				this.child.descendants().forEach((handle) -> {
					if (this.known.putIfAbsent(handle.pid(), handle) == null) {
						added.add(handle.pid());
					}
				});
				return added;
			}
			for (long pid : snapshot.descendants(this.child.pid())) {
				if (!this.known.containsKey(pid)) {
					ProcessHandle.of(pid).ifPresent((handle) -> {
						this.known.put(pid, handle);
						added.add(pid);
					});
				}
			}
			return added;
		}

		/**
		 * Take processes found by the markers into the tree.
		 * @return those not known before
		 */
		private List<Long> found(List<Long> pids) {
			List<ProcessHandle> added = new ArrayList<>();
			for (long pid : pids) {
				if (!this.known.containsKey(pid)) {
					ProcessHandle.of(pid).ifPresent((handle) -> {
						this.known.put(pid, handle);
						this.marked.add(pid);
						added.add(handle);
					});
				}
			}
			if (!added.isEmpty() && logger.isInfoEnabled()) {
				logger.info("Found " + added.size() + " process(es) of worker '" + this.child.worker() + "' replica "
						+ this.child.replica() + " by their markers, outside its process group and its tree: "
						+ added.stream()
							.map((handle) -> "pid " + handle.pid() + " ("
									+ handle.info().commandLine().orElse("command unknown") + ")")
							.collect(Collectors.joining(", "))
						+ "; stopping them with it");
			}
			return added.stream().map(ProcessHandle::pid).toList();
		}

		/**
		 * Return every process this stop accounts for.
		 */
		private Set<Long> covered(ProcessTable.Snapshot snapshot) {
			Set<Long> covered = new HashSet<>(this.known.keySet());
			covered.add(this.child.pid());
			SignalTarget group = this.child.group();
			if (group != null) {
				covered.addAll(snapshot.groupMembers(group.id()));
			}
			return covered;
		}

		/**
		 * Return the live processes of the tree other than the process itself.
		 */
		private List<Long> rest(ProcessTable.Snapshot snapshot) {
			Set<Long> alive = new LinkedHashSet<>();
			SignalTarget group = this.child.group();
			if (group != null) {
				for (long member : snapshot.groupMembers(group.id())) {
					if (member != this.child.pid()) {
						alive.add(member);
					}
				}
			}
			for (ProcessHandle handle : this.known.values()) {
				if (isLive(snapshot, handle)) {
					alive.add(handle.pid());
				}
			}
			return new ArrayList<>(alive);
		}

		private boolean isLive(ProcessTable.Snapshot snapshot, ProcessHandle handle) {
			// The handle knows its start time, so a reused pid is not taken for it
			return handle.isAlive() && (!StopLadder.this.table.available() || snapshot.isLive(handle.pid()));
		}

		private void finish(ProcessTable.Snapshot snapshot) {
			synchronized (this) {
				cancel(this.escalation);
				cancel(this.signalTask);
			}
			StopLadder.this.active.remove(this);
			boolean alive = this.child.isAlive();
			ExitStatus status = alive ? null : this.child.exitStatus();
			Duration took = Duration.ofNanos(System.nanoTime() - this.requestedNanos);
			List<Long> leftovers = alive ? List.of(this.child.pid()) : rest(snapshot);
			this.result.complete(new StopOutcome(this.child.worker(), this.child.replica(), this.child.pid(),
					this.requestedAt, this.stopMessage, this.askedAt, this.signalledAt, this.exitedAt, this.killedAt,
					status, took, leftovers, List.copyOf(this.marked)));
		}

		private static void cancel(@Nullable ScheduledFuture<?> future) {
			if (future != null) {
				future.cancel(false);
			}
		}

	}

}
