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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

import org.jspecify.annotations.Nullable;

/**
 * Finds the processes that carry a replica's markers in their environment: this JVM as
 * {@value WorkerEnvironment#OWNER}, and the replica's {@value WorkerEnvironment#WORKER}
 * and {@value WorkerEnvironment#REPLICA}. Every descendant of a replica inherits them, so
 * this finds what left the replica's process group and was adopted by another process,
 * for example a daemon that forked twice and started a session of its own, which neither
 * the group nor the parent links lead to.
 * <p>
 * Only live processes of this user that started after this JVM are considered, and the
 * environment of each is read once in its life: a process's initial environment does not
 * change, so what it says is kept with its pid and start time. A hit is read again before
 * it is reported, so a process that replaced its environment by {@code exec} is not taken
 * for ours.
 * <p>
 * Two supervisors in one JVM mark their replicas with the same owner, so a worker name
 * that both supervise is not searched: neither could tell its processes from the other's.
 *
 * @author the supervisor authors
 */
final class MarkerSearch {

	/** How many supervisors of this JVM run each worker name. */
	private static final Map<String, Integer> claims = new ConcurrentHashMap<>();

	private final ProcessTable table;

	private final String owner;

	private final long self;

	private final long startTime;

	private final @Nullable Integer uid;

	/**
	 * What each process's environment said, by pid, with the start time it was read at.
	 */
	private final Map<Long, Seen> seen = new HashMap<>();

	MarkerSearch(ProcessTable table) {
		this.table = table;
		this.self = ProcessHandle.current().pid();
		ProcessTable.Stat stat = table.available()
				? ProcessTable.stat(java.nio.file.Path.of("/proc", this.self + "/stat")) : null;
		this.startTime = (stat != null) ? stat.startTime() : Long.MAX_VALUE;
		this.owner = (stat != null) ? this.self + ":" + stat.startTime() : Long.toString(this.self);
		this.uid = table.available() ? ProcessTable.uid(this.self) : null;
	}

	/**
	 * Return the owner value for replicas of this JVM.
	 * @return {@code pid:start-time}, or the pid alone without {@code /proc}
	 */
	String owner() {
		return this.owner;
	}

	/**
	 * Say that a supervisor of this JVM runs these workers.
	 * @param workers the worker names
	 */
	static void claim(Set<String> workers) {
		workers.forEach((worker) -> claims.merge(worker, 1, Integer::sum));
	}

	/**
	 * Say that a supervisor no longer runs these workers.
	 * @param workers the worker names
	 */
	static void release(Set<String> workers) {
		workers.forEach((worker) -> claims.computeIfPresent(worker, (key, count) -> (count > 1) ? count - 1 : null));
	}

	/**
	 * Return the live processes that carry the markers of the given replicas.
	 * @param snapshot the process table
	 * @param replicas the replicas
	 * @param known processes the caller has found otherwise, left out
	 * @return the process ids of each replica that has any
	 */
	synchronized Map<Marks, List<Long>> find(ProcessTable.Snapshot snapshot, Set<Marks> replicas, LongPredicate known) {
		if (!this.table.available() || this.uid == null || replicas.isEmpty()) {
			return Map.of();
		}
		forgetGone(snapshot);
		Map<Marks, List<Long>> found = new HashMap<>();
		for (ProcessTable.Stat stat : snapshot.byPid().values()) {
			if (!stat.live() || stat.pid() == this.self || stat.startTime() < this.startTime
					|| known.test(stat.pid())) {
				continue;
			}
			Seen seen = this.seen.get(stat.pid());
			if (seen == null || seen.startTime() != stat.startTime()) {
				seen = read(stat);
				this.seen.put(stat.pid(), seen);
			}
			Marks marks = seen.marks();
			if (marks != null && replicas.contains(marks) && claims.getOrDefault(marks.worker(), 0) <= 1
					&& stillMarked(stat.pid(), marks)) {
				found.computeIfAbsent(marks, (key) -> new ArrayList<>()).add(stat.pid());
			}
		}
		return found;
	}

	private Seen read(ProcessTable.Stat stat) {
		Marks marks = null;
		if (this.uid.equals(ProcessTable.uid(stat.pid()))) {
			marks = marks(ProcessTable.environment(stat.pid()));
		}
		return new Seen(stat.startTime(), marks);
	}

	private boolean stillMarked(long pid, Marks marks) {
		return this.uid.equals(ProcessTable.uid(pid)) && marks.equals(marks(ProcessTable.environment(pid)));
	}

	private @Nullable Marks marks(Map<String, String> environment) {
		String worker = environment.get(WorkerEnvironment.WORKER);
		String index = environment.get(WorkerEnvironment.REPLICA);
		if (!this.owner.equals(environment.get(WorkerEnvironment.OWNER)) || worker == null || index == null) {
			return null;
		}
		try {
			return new Marks(worker, Integer.parseInt(index));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private void forgetGone(ProcessTable.Snapshot snapshot) {
		Iterator<Map.Entry<Long, Seen>> entries = this.seen.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<Long, Seen> entry = entries.next();
			ProcessTable.Stat stat = snapshot.byPid().get(entry.getKey());
			if (stat == null || stat.startTime() != entry.getValue().startTime()) {
				entries.remove();
			}
		}
	}

	/**
	 * The markers of one replica.
	 *
	 * @param worker the worker group
	 * @param replica the replica index
	 */
	record Marks(String worker, int replica) {

	}

	/**
	 * What a process's environment said.
	 *
	 * @param startTime the process's start time, which with its pid names it
	 * @param marks the replica whose markers it carries, or {@code null} if none of this
	 * JVM's
	 */
	private record Seen(long startTime, @Nullable Marks marks) {

	}

}
