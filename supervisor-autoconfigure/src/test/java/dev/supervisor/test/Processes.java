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

package dev.supervisor.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Looks at real processes through {@code /proc}, for tests. A zombie counts as gone.
 *
 * @author the supervisor authors
 */
public final class Processes {

	/** Set by the build on every test JVM and inherited by everything a test starts. */
	public static final String SUITE_MARKER = "SUPERVISOR_TEST_SUITE";

	private Processes() {
	}

	/**
	 * Return whether a process is alive and not a zombie.
	 * @param pid the process id
	 * @return {@code true} if it runs
	 */
	public static boolean isAlive(long pid) {
		String state = field(pid, 0);
		return state != null && !state.equals("Z") && !state.equals("X");
	}

	/**
	 * Return the process group of a process.
	 * @param pid the process id
	 * @return the group, or -1
	 */
	public static long groupOf(long pid) {
		String pgid = field(pid, 2);
		return (pgid != null) ? Long.parseLong(pgid) : -1;
	}

	/**
	 * Return the session of a process.
	 * @param pid the process id
	 * @return the session id, or -1
	 */
	public static long sessionOf(long pid) {
		String sid = field(pid, 3);
		return (sid != null) ? Long.parseLong(sid) : -1;
	}

	/**
	 * Return the open file descriptors of a process and what each refers to.
	 * @param pid the process id
	 * @return the targets by descriptor number, empty if the process is gone
	 */
	public static java.util.Map<Integer, String> descriptors(long pid) {
		java.util.Map<Integer, String> descriptors = new java.util.TreeMap<>();
		try (java.util.stream.Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			for (Path entry : entries.toList()) {
				descriptors.put(Integer.valueOf(entry.getFileName().toString()),
						Files.readSymbolicLink(entry).toString());
			}
		}
		catch (IOException ex) {
			// gone
		}
		return descriptors;
	}

	/**
	 * Return the live processes whose environment carries this suite's marker, other than
	 * this JVM and its parent.
	 * @return the process ids
	 */
	public static List<Long> leftovers() {
		String suite = System.getenv(SUITE_MARKER);
		if (suite == null) {
			return List.of();
		}
		Set<Long> excluded = new HashSet<>();
		ProcessHandle current = ProcessHandle.current();
		excluded.add(current.pid());
		current.parent().ifPresent((parent) -> excluded.add(parent.pid()));
		// The value names this build's module and checkout, so builds running side by
		// side (another checkout, another module) do not count each other's processes
		String marker = "\0" + SUITE_MARKER + "=" + suite + "\0";
		return live((pid, directory) -> !excluded.contains(pid) && ("\0" + environ(directory)).contains(marker));
	}

	/**
	 * Return the live processes whose environment holds an entry.
	 * @param entry the entry, {@code NAME=value}
	 * @return the process ids
	 */
	public static List<Long> withEnvironment(String entry) {
		return live((pid, directory) -> ("\0" + environ(directory)).contains("\0" + entry + "\0"));
	}

	/**
	 * Return when a process started, in clock ticks after boot: with the pid, what tells
	 * a process apart from a later one that reuses its pid.
	 * @param pid the process id
	 * @return the start time
	 */
	public static long startTime(long pid) {
		String start = field(pid, 19);
		if (start == null) {
			throw new IllegalStateException("No process " + pid);
		}
		return Long.parseLong(start);
	}

	/**
	 * Return the live members of a process group.
	 * @param pgid the group
	 * @return the process ids
	 */
	public static List<Long> groupMembers(long pgid) {
		return live((pid, directory) -> groupOf(pid) == pgid);
	}

	/**
	 * Return the live processes that match.
	 */
	private static List<Long> live(BiPredicate<Long, Path> matches) {
		List<Long> found = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"),
				(path) -> path.getFileName().toString().chars().allMatch(Character::isDigit))) {
			for (Path directory : entries) {
				long pid = Long.parseLong(directory.getFileName().toString());
				if (isAlive(pid) && matches.test(pid, directory)) {
					found.add(pid);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	/**
	 * Return the environment of a process, {@code NUL}-separated.
	 * @param pid the process id
	 * @return the environment or an empty string
	 */
	public static String environment(long pid) {
		return environ(Path.of("/proc", Long.toString(pid)));
	}

	/**
	 * Return the command line of a process, for messages.
	 * @param pid the process id
	 * @return the command line or an empty string
	 */
	public static String commandLine(long pid) {
		try {
			return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
					StandardCharsets.UTF_8)
				.replace('\0', ' ')
				.trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Kill processes with SIGKILL, ignoring those already gone.
	 * @param pids the process ids
	 */
	public static void kill(Iterable<Long> pids) {
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private static String environ(Path entry) {
		try {
			return new String(Files.readAllBytes(entry.resolve("environ")), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static String field(long pid, int index) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return fields[index];
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
