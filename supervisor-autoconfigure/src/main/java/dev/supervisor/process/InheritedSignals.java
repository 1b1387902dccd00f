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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Signals this JVM ignores, which every child it starts through the JDK would ignore too:
 * an ignored signal stays ignored across {@code fork} and {@code exec}, and a JVM started
 * by {@code cmd &} from a script ignores SIGINT (and, under {@code nohup}, SIGHUP). A
 * replica must start with default dispositions, or a {@code stop-signal: INT} would not
 * stop it. The JDK cannot reset a disposition, so such a JVM starts replicas through GNU
 * {@code env --default-signal} (coreutils 8.31 or later), one more {@code exec} that
 * keeps the process id. A JVM that ignores nothing, the usual case, pays nothing for
 * this. The signal mask needs no care: the JDK clears it in every child.
 *
 * @author the supervisor authors
 */
final class InheritedSignals {

	private static final Log logger = LogFactory.getLog(InheritedSignals.class);

	/** Linux's names of the signals 1 to 31. */
	private static final String[] NAMES = { "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
			"SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
			"XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS" };

	private static final File DEV_NULL = new File("/dev/null");

	private static volatile @Nullable List<String> prefix;

	private InheritedSignals() {
	}

	/**
	 * Return what to put before a replica's command so that it starts with default signal
	 * dispositions: nothing if this JVM ignores none of the signals 1 to 31, or if
	 * {@code env} cannot reset them (then a warning says so, once).
	 * @return the program and options to run the command through, possibly empty
	 */
	static List<String> resetPrefix() {
		List<String> found = prefix;
		if (found == null) {
			synchronized (InheritedSignals.class) {
				found = prefix;
				if (found == null) {
					found = detect();
					prefix = found;
				}
			}
		}
		return found;
	}

	/**
	 * Return the signals among 1 to 31 that a process ignores, from the {@code SigIgn}
	 * line of its {@code /proc/<pid>/status}.
	 * @param status the file
	 * @return the names, such as {@code SIGINT}; empty if there are none or the file
	 * cannot be read
	 */
	static List<String> ignored(Path status) {
		try {
			for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
				if (line.startsWith("SigIgn:")) {
					return names(Long.parseUnsignedLong(line.substring(7).trim(), 16));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux, or no /proc: nothing known to reset
		}
		return List.of();
	}

	/**
	 * Return the names of the signals 1 to 31 in a mask as {@code /proc} shows it: bit
	 * {@code n - 1} for signal {@code n}. The C library's own real-time signals above 31
	 * are left alone.
	 * @param mask the mask
	 * @return the names
	 */
	static List<String> names(long mask) {
		List<String> names = new ArrayList<>();
		for (int signal = 1; signal <= NAMES.length; signal++) {
			if ((mask & (1L << (signal - 1))) != 0) {
				names.add("SIG" + NAMES[signal - 1]);
			}
		}
		return names;
	}

	private static List<String> detect() {
		List<String> ignored = ignored(Path.of("/proc/self/status"));
		if (ignored.isEmpty()) {
			return List.of();
		}
		Path env = env();
		if (env != null && resets(env)) {
			logger.debug("This JVM ignores " + String.join(", ", ignored)
					+ "; replicas are started through 'env --default-signal' so they do not");
			return List.of(env.toString(), "--default-signal", "--");
		}
		logger.warn("This JVM ignores " + String.join(", ", ignored)
				+ " (it was started with them ignored, for example by 'cmd &' in a script or by nohup), and its"
				+ " workers inherit that: a worker may not stop on those signals. 'env --default-signal' (GNU coreutils"
				+ " 8.31 or later), which would reset them, is not available; start the application with default"
				+ " signal dispositions, or on JDK 22 or later with native access enabled");
		return List.of();
	}

	private static @Nullable Path env() {
		for (String candidate : List.of("/usr/bin/env", "/bin/env")) {
			Path path = Path.of(candidate);
			if (Files.isRegularFile(path) && Files.isExecutable(path)) {
				return path;
			}
		}
		return null;
	}

	/**
	 * Return whether this {@code env} knows {@code --default-signal}: one process, once.
	 */
	private static boolean resets(Path env) {
		try {
			Process probe = new ProcessBuilder(env.toString(), "--default-signal", "--", "true").redirectInput(DEV_NULL)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!probe.waitFor(5, TimeUnit.SECONDS)) {
				probe.destroyForcibly();
				return false;
			}
			return probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
