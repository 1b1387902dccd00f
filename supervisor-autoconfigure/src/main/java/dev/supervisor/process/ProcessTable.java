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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads the process table from {@code /proc} on Linux. A zombie counts as gone: it holds
 * no resources, and its parent (init, or whoever adopted it) is the one to reap it.
 * {@link ProcessHandle#isAlive()} cannot be used for that, as it is true for zombies.
 *
 * @author the supervisor authors
 */
final class ProcessTable {

	private static final Path PROC = Path.of("/proc");

	private final boolean procfs;

	ProcessTable(boolean procfs) {
		this.procfs = procfs;
	}

	boolean available() {
		return this.procfs;
	}

	/**
	 * Return the live members of a process group.
	 * @param pgid the process group
	 * @return the process ids, empty if {@code /proc} is not available
	 */
	List<Long> groupMembers(long pgid) {
		List<Long> members = new ArrayList<>();
		if (!this.procfs) {
			return members;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTable::isPidDirectory)) {
			for (Path entry : entries) {
				Stat stat = stat(entry.resolve("stat"));
				if (stat != null && stat.pgid() == pgid && stat.live()) {
					members.add(stat.pid());
				}
			}
		}
		catch (IOException ex) {
			// /proc vanished under us: nothing we can report
		}
		return members;
	}

	/**
	 * Return whether a process is alive and not a zombie.
	 * @param handle the process
	 * @return {@code true} if it runs
	 */
	boolean isLive(ProcessHandle handle) {
		if (!handle.isAlive()) {
			return false;
		}
		if (!this.procfs) {
			return true;
		}
		Stat stat = stat(PROC.resolve(Long.toString(handle.pid())).resolve("stat"));
		return stat != null && stat.live();
	}

	/**
	 * Return the process group of a live process.
	 * @param pid the process
	 * @return the process group id, or -1 if unknown or not alive
	 */
	long groupOf(long pid) {
		if (!this.procfs) {
			return -1;
		}
		Stat stat = stat(PROC.resolve(Long.toString(pid)).resolve("stat"));
		return (stat != null && stat.live()) ? stat.pgid() : -1;
	}

	static @Nullable Stat stat(Path file) {
		try {
			return Stat.parse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
		}
		catch (NoSuchFileException ex) {
			return null;
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
	 * The fields of {@code /proc/<pid>/stat} the supervisor needs.
	 *
	 * @param pid the process id
	 * @param state the state letter ({@code Z} for a zombie, {@code X} for dead)
	 * @param ppid the parent process id
	 * @param pgid the process group id
	 */
	record Stat(long pid, char state, long ppid, long pgid) {

		boolean live() {
			return this.state != 'Z' && this.state != 'X' && this.state != 'x';
		}

		static Stat parse(String line) {
			// The command name is in parentheses and may itself contain spaces or ')'
			int open = line.indexOf('(');
			int close = line.lastIndexOf(')');
			long pid = Long.parseLong(line.substring(0, open).trim());
			String[] fields = line.substring(close + 2).split(" ", 5);
			return new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
		}

	}

}
