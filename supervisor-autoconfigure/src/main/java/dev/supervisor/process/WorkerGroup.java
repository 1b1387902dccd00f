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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.supervisor.shutdown.Deadline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The replicas of one worker group. Mutated only on the supervisor's state thread; the
 * replica list can be read from any thread.
 *
 * @author the supervisor authors
 */
final class WorkerGroup {

	private static final Log logger = LogFactory.getLog(WorkerGroup.class);

	private final Supervisor supervisor;

	private final List<Replica> replicas = new CopyOnWriteArrayList<>();

	private final List<Replica> retiring = new CopyOnWriteArrayList<>();

	/** The stops of retiring replicas, by index; state thread only. */
	private final Map<Integer, CompletableFuture<?>> retired = new HashMap<>();

	private final OutputStats outputStats = new OutputStats();

	private volatile WorkerSpec spec;

	private volatile boolean gaveUp;

	WorkerGroup(Supervisor supervisor, WorkerSpec spec) {
		this.supervisor = supervisor;
		this.spec = spec;
	}

	Supervisor supervisor() {
		return this.supervisor;
	}

	WorkerSpec spec() {
		return this.spec;
	}

	OutputStats outputStats() {
		return this.outputStats;
	}

	void start() {
		for (int i = 0; i < this.spec.replicas(); i++) {
			Replica replica = new Replica(this, i);
			this.replicas.add(replica);
			replica.start();
		}
	}

	boolean everReady() {
		return this.replicas.stream().allMatch(Replica::everReady);
	}

	/**
	 * Stop every replica, also those retiring; the caller holds the ladder's wave, so
	 * that all are asked at once.
	 * @param deadline the shutdown's deadline
	 * @return a future for each replica
	 */
	List<CompletableFuture<@Nullable StopOutcome>> stop(Deadline deadline) {
		// The worker's own stop timeout applies inside the shutdown's deadline
		Duration own = this.spec.stopTimeout();
		Deadline stopBy = (own != null) ? deadline.earlierOf(Deadline.after(own)) : deadline;
		List<CompletableFuture<@Nullable StopOutcome>> stops = new ArrayList<>();
		this.replicas.forEach((replica) -> stops.add(replica.stop(stopBy)));
		this.retiring.forEach((replica) -> stops.add(replica.stop(stopBy)));
		return stops;
	}

	void tighten(Deadline deadline) {
		this.replicas.forEach((replica) -> replica.tighten(deadline));
		this.retiring.forEach((replica) -> replica.tighten(deadline));
	}

	void giveUp(Replica replica) {
		if (this.gaveUp) {
			return;
		}
		this.gaveUp = true;
		CrashLoopLimit limit = this.spec.crashLoop();
		if (this.spec.onGiveUp() == GiveUpAction.SHUTDOWN && this.supervisor.phase() == Supervisor.Phase.STARTING) {
			// The application is not up yet: its start fails, explained like any startup
			// failure, rather than a shutdown racing the start
			StartupFailure failure = replica.gaveUp(limit);
			logger.error(failure.describe());
			this.supervisor.failStart(failure);
		}
		else {
			logger.error("Worker '" + this.spec.name() + "' gave up: replica " + replica.index() + " was restarted "
					+ limit.maxRestarts() + " times within " + limit.window().toSeconds() + "s and failed again ("
					+ this.spec.onGiveUp().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")");
		}
		this.supervisor.emit(new SupervisorEvent.GroupGaveUp(this.spec.name(), replica.index(), limit,
				this.spec.onGiveUp(), Instant.now()));
	}

	CompletableFuture<List<StopOutcome>> restart() {
		this.gaveUp = false;
		return StopOutcome.collect(this.supervisor.ladder()
			.wave(() -> this.replicas.stream().map((replica) -> replica.restart(RestartCause.MANUAL)).toList()));
	}

	CompletableFuture<List<StopOutcome>> restart(int index) {
		this.gaveUp = this.gaveUp && this.replicas.stream()
			.anyMatch((replica) -> replica.index() != index && replica.state() == ReplicaState.FAILED);
		return StopOutcome.collect(List.of(this.replicas.get(index).restart(RestartCause.MANUAL)));
	}

	CompletableFuture<List<StopOutcome>> scale(int desired, Duration stopTimeout) {
		int current = this.replicas.size();
		this.spec = this.spec.withReplicas(desired);
		List<CompletableFuture<@Nullable StopOutcome>> changes = new ArrayList<>();
		List<CompletableFuture<ReplicaState>> added = new ArrayList<>();
		for (int i = current; i < desired; i++) {
			Replica replica = new Replica(this, i);
			this.replicas.add(replica);
			startAfterRetired(replica);
			added.add(replica.settled());
		}
		if (desired < current) {
			Deadline deadline = Deadline.after(stopTimeout);
			List<Replica> removed = new ArrayList<>(this.replicas.subList(desired, current));
			this.retiring.addAll(removed);
			this.replicas.removeAll(removed);
			changes.addAll(this.supervisor.ladder()
				.wave(() -> removed.stream().map((replica) -> retire(replica, deadline)).toList()));
		}
		// A group that gave up because of a replica scaled away has what it wants again
		this.gaveUp = this.gaveUp
				&& this.replicas.stream().anyMatch((replica) -> replica.state() == ReplicaState.FAILED);
		if (desired != current) {
			logger.info("Scaled worker '" + this.spec.name() + "' from " + current + " to " + desired + " replicas");
		}
		// Done once the removed replicas are gone and the new ones ready (or failed)
		return StopOutcome.collect(changes)
			.thenCombine(CompletableFuture.allOf(added.toArray(CompletableFuture[]::new)),
					(outcomes, ready) -> outcomes);
	}

	/**
	 * Stop a replica that was scaled away.
	 * @return a future completing once it is stopped and has left the snapshot, too
	 */
	private CompletableFuture<@Nullable StopOutcome> retire(Replica replica, Deadline deadline) {
		CompletableFuture<@Nullable StopOutcome> retired = new CompletableFuture<>();
		this.retired.put(replica.index(), retired);
		replica.stop(deadline).whenComplete((outcome, ex) -> {
			Runnable retire = () -> {
				this.retiring.remove(replica);
				this.retired.remove(replica.index(), retired);
				if (ex != null) {
					retired.completeExceptionally(ex);
				}
				else {
					retired.complete(outcome);
				}
			};
			if (!this.supervisor.execute(retire)) {
				retire.run();
			}
		});
		return retired;
	}

	/**
	 * Start a new replica once a retiring one with the same index is gone: both carry the
	 * same markers, so the old one's stop would take the new one's processes for its own.
	 */
	private void startAfterRetired(Replica replica) {
		CompletableFuture<?> retired = this.retired.get(replica.index());
		if (retired == null) {
			replica.start();
			return;
		}
		retired.whenComplete((outcome, ex) -> this.supervisor.execute(() -> {
			if (this.replicas.contains(replica)) {
				replica.start();
			}
		}));
	}

	int size() {
		return this.replicas.size();
	}

	GroupSnapshot snapshot(boolean withLines) {
		List<ReplicaSnapshot> snapshots = new ArrayList<>();
		this.replicas.forEach((replica) -> snapshots.add(replica.snapshot(withLines)));
		this.retiring.forEach((replica) -> snapshots.add(replica.snapshot(withLines)));
		return new GroupSnapshot(this.spec.name(), state(snapshots), this.spec.replicas(), snapshots,
				this.outputStats.droppedLines(), this.outputStats.droppedBytes());
	}

	private GroupState state(List<ReplicaSnapshot> snapshots) {
		Supervisor.Phase phase = this.supervisor.phase();
		if (phase == Supervisor.Phase.STOPPING || phase == Supervisor.Phase.STOPPED) {
			return GroupState.STOPPED;
		}
		if (this.gaveUp) {
			return GroupState.FAILED;
		}
		long ready = snapshots.stream().filter((replica) -> replica.state() == ReplicaState.READY).count();
		if (ready >= this.spec.replicas()) {
			return GroupState.RUNNING;
		}
		return (phase == Supervisor.Phase.NEW || phase == Supervisor.Phase.STARTING) ? GroupState.STARTING
				: GroupState.DEGRADED;
	}

}
