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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.supervisor.shutdown.Deadline;
import dev.supervisor.worker.Protocol.Message;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one way a replica process is stopped, whatever the reason: a graceful request (the
 * stop signal, to the replica's process group and to every descendant known to have left
 * it), a wait until the deadline, SIGKILL of the whole tree, and a reap with a short
 * bound. A stop completes only when the process and its descendants are gone.
 * <p>
 * The same ladder cleans up after a replica that exited on its own: whatever it left in
 * its process group is asked to stop, then killed.
 * <p>
 * Waiting holds no thread: the process's exit is an event, the deadline a scheduled task.
 * Only processes that are not the supervisor's own children (grandchildren) are looked up
 * in the process table, with a growing interval, while a stop is under way.
 *
 * @author the supervisor authors
 */
final class StopLadder {

	private static final Log logger = LogFactory.getLog(StopLadder.class);

	private static final long MAX_POLL_MILLIS = 50;

	private static final Duration MIN_SLICE = Duration.ofMillis(500);

	private static final Duration MAX_SLICE = Duration.ofSeconds(5);

	private final Signaller signaller;

	private final ProcessTable table;

	private final ScheduledExecutorService scheduler;

	private final Duration reapTimeout;

	StopLadder(Signaller signaller, ProcessTable table, ScheduledExecutorService scheduler, Duration reapTimeout) {
		this.signaller = signaller;
		this.table = table;
		this.scheduler = scheduler;
		this.reapTimeout = reapTimeout;
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
		// Begin on the ladder's thread: looking for the rest of the tree reads /proc
		stop.schedule(stop::begin, 0, TimeUnit.NANOSECONDS);
		return stop;
	}

	/**
	 * A stop under way.
	 */
	final class Stop {

		private final StopTarget child;

		private final Signal signal;

		private final Instant requestedAt = Instant.now();

		private final long requestedNanos = System.nanoTime();

		private final CompletableFuture<StopOutcome> result = new CompletableFuture<>();

		private final AtomicBoolean escalated = new AtomicBoolean();

		private final List<ProcessHandle> known = new ArrayList<>();

		private Deadline deadline;

		private @Nullable ScheduledFuture<?> escalation;

		private volatile @Nullable Instant exitedAt;

		private volatile @Nullable Instant killedAt;

		private volatile @Nullable Instant signalledAt;

		private volatile boolean stopMessage;

		private final List<SignalTarget> graceful = new ArrayList<>();

		private Duration signalSlice = MIN_SLICE;

		private @Nullable ScheduledFuture<?> signalTask;

		private volatile long pollMillis = 1;

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
		synchronized void tighten(Deadline earlier) {
			if (this.result.isDone() || earlier.compareTo(this.deadline) >= 0) {
				return;
			}
			this.deadline = earlier;
			if (this.signalTask != null) {
				scheduleSignal();
			}
			scheduleEscalation();
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
			if (this.signalTask != null) {
				this.signalTask.cancel(false);
			}
			long delay = this.deadline.remaining().minus(this.signalSlice).toNanos();
			this.signalTask = schedule(() -> {
				synchronized (this) {
					if (!this.result.isDone() && this.signalledAt == null) {
						sendSignal();
					}
				}
			}, Math.max(0, delay), TimeUnit.NANOSECONDS);
		}

		private void sendSignal() {
			this.signalledAt = Instant.now();
			StopLadder.this.signaller.send(this.signal, this.graceful);
		}

		private void begin() {
			boolean running = this.child.isAlive();
			if (running) {
				this.known.addAll(descendants());
			}
			else if (rest().isEmpty()) {
				finish();
				return;
			}
			this.graceful.add(this.child.target());
			outsideGroup(this.known).forEach((handle) -> this.graceful.add(SignalTarget.process(handle.pid())));
			ControlChannel.Registration control = this.child.control();
			synchronized (this) {
				if (running && control != null
						&& control.send(new Message.Stop(this.deadline.instant(), this.deadline.remaining()))) {
					// Asked in-band: the signal follows only if the tree is still there
					this.stopMessage = true;
					this.signalSlice = slice(this.deadline.remaining());
					scheduleSignal();
				}
				else {
					sendSignal();
				}
				scheduleEscalation();
			}
			CompletableFuture<?> exited = this.child.exited();
			if (exited == null) {
				// Not our child: its exit is no event, so it is watched with the rest
				schedule(this::awaitRest, 0, TimeUnit.MILLISECONDS);
				return;
			}
			exited.whenComplete((process, ex) -> {
				if (running) {
					this.exitedAt = Instant.now();
				}
				// Off the JDK's reaper thread: looking for the rest of the tree reads
				// /proc
				schedule(this::awaitRest, 0, TimeUnit.MILLISECONDS);
			});
		}

		private void scheduleEscalation() {
			if (this.escalation != null) {
				this.escalation.cancel(false);
			}
			this.escalation = schedule(this::escalate, this.deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
		}

		/**
		 * The process itself is gone; wait for the rest of its tree until the deadline.
		 */
		private void awaitRest() {
			if (this.result.isDone() || this.escalated.get()) {
				return;
			}
			if (this.child.isAlive()) {
				schedule(this::awaitRest, nextPoll(), TimeUnit.MILLISECONDS);
				return;
			}
			if (this.exitedAt == null) {
				this.exitedAt = Instant.now();
			}
			if (rest().isEmpty()) {
				finish();
			}
			else {
				schedule(this::awaitRest, nextPoll(), TimeUnit.MILLISECONDS);
			}
		}

		private void escalate() {
			if (this.result.isDone() || !this.escalated.compareAndSet(false, true)) {
				return;
			}
			this.killedAt = Instant.now();
			Set<SignalTarget> targets = new LinkedHashSet<>();
			targets.add(this.child.target());
			if (this.child.isAlive()) {
				this.known.addAll(descendants());
				this.child.kill();
			}
			ProcessTable.Snapshot table = StopLadder.this.table.snapshot();
			for (ProcessHandle handle : this.known) {
				if (isLive(table, handle)) {
					handle.destroyForcibly();
					targets.add(SignalTarget.process(handle.pid()));
				}
			}
			StopLadder.this.signaller.send(Signal.KILL, targets);
			if (logger.isDebugEnabled()) {
				logger.debug("Killed " + this.child + " and its tree " + targets + " at the stop deadline");
			}
			this.pollMillis = 1;
			awaitReaped(Deadline.after(StopLadder.this.reapTimeout));
		}

		private void awaitReaped(Deadline reapDeadline) {
			if (this.result.isDone()) {
				return;
			}
			if (!this.child.isAlive() && rest().isEmpty()) {
				finish();
			}
			else if (reapDeadline.hasPassed()) {
				logger.warn("Processes of " + this.child + " are still alive after SIGKILL: " + rest());
				finish();
			}
			else {
				schedule(() -> awaitReaped(reapDeadline), nextPoll(), TimeUnit.MILLISECONDS);
			}
		}

		private void finish() {
			synchronized (this) {
				if (this.escalation != null) {
					this.escalation.cancel(false);
				}
				if (this.signalTask != null) {
					this.signalTask.cancel(false);
				}
			}
			ExitStatus status = this.child.isAlive() ? null : this.child.exitStatus();
			Duration took = Duration.ofNanos(System.nanoTime() - this.requestedNanos);
			List<Long> leftovers = this.child.isAlive() ? List.of(this.child.pid()) : rest();
			this.result
				.complete(new StopOutcome(this.child.worker(), this.child.replica(), this.child.pid(), this.requestedAt,
						this.stopMessage, this.signalledAt, this.exitedAt, this.killedAt, status, took, leftovers));
		}

		/**
		 * Return the live processes of the tree other than the process itself.
		 */
		private List<Long> rest() {
			Set<Long> alive = new LinkedHashSet<>();
			ProcessTable.Snapshot table = StopLadder.this.table.snapshot();
			SignalTarget group = this.child.group();
			if (group != null) {
				for (long member : table.groupMembers(group.id())) {
					if (member != this.child.pid()) {
						alive.add(member);
					}
				}
			}
			for (ProcessHandle handle : this.known) {
				if (isLive(table, handle)) {
					alive.add(handle.pid());
				}
			}
			return new ArrayList<>(alive);
		}

		/**
		 * Return the descendants of the process from the shared process table where there
		 * is one: asking the JDK reads all of /proc again for every replica.
		 */
		private List<ProcessHandle> descendants() {
			if (!StopLadder.this.table.available()) {
				return this.child.descendants().toList();
			}
			List<ProcessHandle> handles = new ArrayList<>();
			for (long pid : StopLadder.this.table.snapshot().descendants(this.child.pid())) {
				ProcessHandle.of(pid).ifPresent(handles::add);
			}
			return handles;
		}

		private boolean isLive(ProcessTable.Snapshot table, ProcessHandle handle) {
			// The handle knows its start time, so a reused pid is not taken for it
			return handle.isAlive() && (!StopLadder.this.table.available() || table.isLive(handle.pid()));
		}

		private List<ProcessHandle> outsideGroup(List<ProcessHandle> handles) {
			SignalTarget group = this.child.group();
			if (group == null) {
				return handles;
			}
			ProcessTable.Snapshot table = StopLadder.this.table.snapshot();
			return handles.stream().filter((handle) -> table.groupOf(handle.pid()) != group.id()).toList();
		}

		private long nextPoll() {
			long current = this.pollMillis;
			this.pollMillis = Math.min(current * 2, MAX_POLL_MILLIS);
			return current;
		}

		private @Nullable ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
			try {
				return StopLadder.this.scheduler.schedule(task, delay, unit);
			}
			catch (RejectedExecutionException ex) {
				// The supervisor is closing: finish with what is known now
				this.result.complete(new StopOutcome(this.child.worker(), this.child.replica(), this.child.pid(),
						this.requestedAt, this.stopMessage, this.signalledAt, this.exitedAt, this.killedAt,
						this.child.isAlive() ? null : this.child.exitStatus(),
						Duration.ofNanos(System.nanoTime() - this.requestedNanos), rest()));
				return null;
			}
		}

	}

}
