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
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads the process table from {@code /proc} on Linux. A zombie counts as gone: it holds
 * no resources, and its parent (init, or whoever adopted it) is the one to reap it.
 * {@link ProcessHandle#isAlive()} cannot be used for that, as it is true for zombies.
 * <p>
 * Reading the table costs one file per process, so a snapshot is shared by everyone who
 * asks within a short time, and the stop ladder reads it once per wave of stops, not once
 * per replica.
 *
 * @author the supervisor authors
 */
final class ProcessTable {

	private static final Path PROC = Path.of("/proc");

	private final boolean procfs;

	private final long maxAgeNanos;

	private @Nullable Snapshot last;

	ProcessTable(boolean procfs, Duration maxAge) {
		this.procfs = procfs;
		this.maxAgeNanos = maxAge.toNanos();
	}

	boolean available() {
		return this.procfs;
	}

	/**
	 * Return the process table, read at most the configured maximum age ago.
	 * @return the snapshot, empty if {@code /proc} is not available
	 */
	synchronized Snapshot snapshot() {
		long now = System.nanoTime();
		if (this.last == null || now - this.last.takenAt() > this.maxAgeNanos) {
			this.last = read(now);
		}
		return this.last;
	}

	/**
	 * Return the process table as it is now, and share it with later callers of
	 * {@link #snapshot()}.
	 * @return the snapshot, empty if {@code /proc} is not available
	 */
	Snapshot read() {
		Snapshot fresh = read(System.nanoTime());
		synchronized (this) {
			if (this.last == null || this.last.takenAt() < fresh.takenAt()) {
				this.last = fresh;
			}
		}
		return fresh;
	}

	/**
	 * Return the environment a process was started with.
	 * @param pid the process id
	 * @return the variables, empty if the process is gone or not ours to read
	 */
	static Map<String, String> environment(long pid) {
		Map<String, String> environment = new HashMap<>();
		try {
			String all = new String(Files.readAllBytes(PROC.resolve(pid + "/environ")), StandardCharsets.UTF_8);
			for (String variable : all.split("\0")) {
				int equals = variable.indexOf('=');
				if (equals > 0) {
					environment.put(variable.substring(0, equals), variable.substring(equals + 1));
				}
			}
		}
		catch (IOException ex) {
			// gone, or not ours to read
		}
		return environment;
	}

	/**
	 * Return the user a process runs as: the owner of its {@code /proc} directory, one
	 * {@code stat} call.
	 * @param pid the process id
	 * @return the user id, or {@code null} if the process is gone
	 */
	static @Nullable Integer uid(long pid) {
		try {
			return (Integer) Files.getAttribute(PROC.resolve(Long.toString(pid)), "unix:uid");
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			// gone, or no unix attributes here
			return null;
		}
	}

	private Snapshot read(long now) {
		Map<Long, Stat> byPid = new HashMap<>();
		if (this.procfs) {
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTable::isPidDirectory)) {
				for (Path entry : entries) {
					Stat stat = stat(entry.resolve("stat"));
					if (stat != null) {
						byPid.put(stat.pid(), stat);
					}
				}
			}
			catch (IOException ex) {
				// /proc vanished under us: nothing we can report
			}
		}
		Map<Long, List<Long>> children = new HashMap<>();
		Map<Long, List<Long>> groups = new HashMap<>();
		for (Stat stat : byPid.values()) {
			children.computeIfAbsent(stat.ppid(), (key) -> new ArrayList<>()).add(stat.pid());
			if (stat.live()) {
				groups.computeIfAbsent(stat.pgid(), (key) -> new ArrayList<>()).add(stat.pid());
			}
		}
		return new Snapshot(now, byPid, children, groups);
	}

	static @Nullable Stat stat(Path file) {
		try {
			return Stat.parse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean isPidDirectory(Path path) {
		String name = path.getFileName().toString();
		for (int i = 0; i < name.length(); i++) {
			if (!Character.isDigit(name.charAt(i))) {
				return false;
			}
		}
		return !name.isEmpty();
	}

	/**
	 * The process table at one moment.
	 *
	 * @param takenAt when it was read, on the monotonic clock
	 * @param byPid every process by its id
	 * @param children the children of each process, by its id
	 * @param groups the live members of each process group, by its id
	 */
	record Snapshot(long takenAt, Map<Long, Stat> byPid, Map<Long, List<Long>> children, Map<Long, List<Long>> groups) {

		/**
		 * Return whether a process is alive and not a zombie.
		 * @param pid the process id
		 * @return {@code true} if it runs
		 */
		boolean isLive(long pid) {
			Stat stat = this.byPid.get(pid);
			return stat != null && stat.live();
		}

		/**
		 * Return the live members of a process group.
		 * @param pgid the process group
		 * @return the process ids
		 */
		List<Long> groupMembers(long pgid) {
			return this.groups.getOrDefault(pgid, List.of());
		}

		/**
		 * Return the live descendants of a process.
		 * @param pid the process id
		 * @return the process ids, nearest first
		 */
		List<Long> descendants(long pid) {
			List<Long> found = new ArrayList<>();
			Deque<Long> queue = new ArrayDeque<>(this.children.getOrDefault(pid, List.of()));
			while (!queue.isEmpty()) {
				long next = queue.removeFirst();
				if (isLive(next)) {
					found.add(next);
				}
				queue.addAll(this.children.getOrDefault(next, List.of()));
			}
			return found;
		}

		/**
		 * Return the process with the given id, if it is alive.
		 * @param pid the process id
		 * @return its fields, or {@code null}
		 */
		@Nullable Stat live(long pid) {
			Stat stat = this.byPid.get(pid);
			return (stat != null && stat.live()) ? stat : null;
		}

		/**
		 * Return the process group of a live process.
		 * @param pid the process id
		 * @return the process group id, or -1 if unknown or not alive
		 */
		long groupOf(long pid) {
			Stat stat = this.byPid.get(pid);
			return (stat != null && stat.live()) ? stat.pgid() : -1;
		}

	}

	/**
	 * The fields of {@code /proc/<pid>/stat} the supervisor needs.
	 *
	 * @param pid the process id
	 * @param state the state letter ({@code Z} for a zombie, {@code X} for dead)
	 * @param ppid the parent process id
	 * @param pgid the process group id
	 * @param startTime when the process started, in clock ticks after boot: with the pid
	 * it names one process, even when pids are reused
	 */
	record Stat(long pid, char state, long ppid, long pgid, long startTime) {

		boolean live() {
			return this.state != 'Z' && this.state != 'X' && this.state != 'x';
		}

		static Stat parse(String line) {
			// The command name is in parentheses and may itself contain spaces or ')'
			int open = line.indexOf('(');
			int close = line.lastIndexOf(')');
			long pid = Long.parseLong(line.substring(0, open).trim());
			String[] fields = line.substring(close + 2).split(" ", 21);
			return new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[19]));
		}

	}

}
