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

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the operating system offers the supervisor: process groups through {@code setsid},
 * signals by name through {@code sh}, the process table in {@code /proc}, and, where the
 * JVM allows it, {@code posix_spawn} and {@code kill(2)} called directly.
 *
 * @param windows whether this is Windows
 * @param setsid the {@code setsid} executable, or {@code null} if replicas cannot get a
 * process group of their own through it
 * @param shell the POSIX shell used to send signals, or {@code null}
 * @param procfs whether {@code /proc} lists processes with their process group
 * @param posix the POSIX calls made directly, or {@code null} if the JVM does not allow
 * them
 * @author the supervisor authors
 */
record Platform(boolean windows, @Nullable Path setsid, @Nullable Path shell, boolean procfs, @Nullable Posix posix) {

	private static final Platform CURRENT = detect();

	/**
	 * Return what this machine offers.
	 * @param nativeAccess whether to call {@code posix_spawn} and {@code kill(2)}
	 * directly if the JVM allows it; only then is that found out, which on JDK 22+ takes
	 * a few hundred milliseconds the first time
	 * @return the platform
	 */
	static Platform current(boolean nativeAccess) {
		return (nativeAccess && !CURRENT.windows()) ? CURRENT.withPosix(Posix.available()) : CURRENT;
	}

	/**
	 * Return whether each replica gets a process group (and session) of its own.
	 * @return {@code true} if it does
	 */
	boolean processGroups() {
		return this.posix != null || this.setsid != null;
	}

	/**
	 * Return the guarantees that do not hold on this platform, and why, one sentence
	 * each: what the supervisor says at start on a system that lacks what it needs.
	 * @param leftoverSearch whether leftovers of a crashed run are to be looked for
	 * @param orphanGuard whether the orphan guard is to run
	 * @return the sentences, empty where every guarantee holds (Linux with {@code /proc},
	 * {@code sh} and {@code setsid})
	 */
	List<String> missingGuarantees(boolean leftoverSearch, boolean orphanGuard) {
		List<String> missing = new ArrayList<>();
		if (this.windows) {
			if (orphanGuard) {
				missing.add("workers outlive the application when it is killed or crashes, because the orphan guard "
						+ "needs a POSIX shell, which Windows lacks (a worker using the notify protocol notices that its "
						+ "supervisor is gone and can stop itself)");
			}
			missing.add(
					"a replica is not asked to stop by a signal but terminated at once, because Windows has no signals "
							+ "(a worker using the notify protocol is asked by a STOP message first)");
			missing.add("a replica's children are stopped with it only while they are still its descendants, "
					+ "because Windows has no process groups: children whose parent exited are not found");
			if (leftoverSearch) {
				missing
					.add("leftovers of a crashed earlier run are not looked for at start, because there is no /proc");
			}
			return missing;
		}
		if (!processGroups()) {
			missing.add("replicas share the application's process group, because 'setsid' was not found and "
					+ "posix_spawn is not used: children whose parent exited are not stopped with their replica, after a "
					+ "kill -9 of the application the orphan guard reaches the replicas but not their children, "
					+ "and a terminal's Ctrl-C reaches the workers directly");
		}
		if (this.shell == null && orphanGuard) {
			missing.add("workers outlive the application when it is killed or crashes, because the orphan guard needs "
					+ "a POSIX shell and /bin/sh was not found");
		}
		if (this.shell == null && this.posix == null) {
			missing.add("only SIGTERM and SIGKILL can be sent, each to one process and not to a process group, "
					+ "because /bin/sh was not found for its kill and kill(2) is not called directly");
		}
		if (!this.procfs) {
			missing.add("descendants that left a replica's process group are not found when it is stopped"
					+ (leftoverSearch ? ", and leftovers of a crashed earlier run are not looked for at start" : "")
					+ ", because there is no /proc");
		}
		return missing;
	}

	private Platform withPosix(@Nullable Posix posix) {
		return (posix != null) ? new Platform(this.windows, this.setsid, this.shell, this.procfs, posix) : this;
	}

	private static Platform detect() {
		boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
		if (windows) {
			return new Platform(true, null, null, false, null);
		}
		Path shell = executable(Path.of("/bin/sh"));
		Path setsid = findOnPath("setsid");
		boolean procfs = Files.isReadable(Path.of("/proc/self/stat"));
		return new Platform(false, setsid, shell, procfs, null);
	}

	private static @Nullable Path findOnPath(String name) {
		String path = System.getenv("PATH");
		String search = ((path != null) ? path + File.pathSeparator : "") + "/usr/bin:/bin:/usr/sbin:/sbin";
		for (String directory : search.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = executable(Path.of(directory, name));
				if (candidate != null) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static @Nullable Path executable(Path candidate) {
		return (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) ? candidate : null;
	}

}
