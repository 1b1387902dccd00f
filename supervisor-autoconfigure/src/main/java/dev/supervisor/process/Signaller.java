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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends signals by name to processes and process groups, many targets at once. The JDK
 * can only send SIGTERM and SIGKILL to a single process, so {@code kill(2)} is called
 * directly where the JVM allows it ({@link Posix}), once per target, back to back;
 * otherwise, on POSIX systems, one {@code kill} process of the shell signals every target
 * of a batch. Without a shell (Windows) only a graceful request
 * ({@link Process#destroy()}) and a kill are possible.
 * <p>
 * Signals are sent on the calling thread, the stop ladder's own, so nothing can starve
 * them: no pool has to start a thread first. When the {@code kill} process cannot be
 * started (a limit on processes, say), SIGTERM and SIGKILL still go out, to each member
 * of each group as the process table lists them, through {@link ProcessHandle}.
 *
 * @author the supervisor authors
 */
final class Signaller {

	private static final Log logger = LogFactory.getLog(Signaller.class);

	private static final String KILL_SCRIPT = "sig=$1; shift; kill -s \"$sig\" -- \"$@\" 2>/dev/null; exit 0";

	private static final File DEV_NULL = new File("/dev/null");

	private final Platform platform;

	private final ProcessTable table;

	Signaller(Platform platform, ProcessTable table) {
		this.platform = platform;
		this.table = table;
	}

	/**
	 * Return whether signals are sent by {@code kill(2)} called directly, with no process
	 * to start.
	 * @return {@code true} on JDK 22+ with native access
	 */
	boolean direct() {
		return this.platform.posix() != null;
	}

	/**
	 * Return whether this platform can send the signal.
	 * @param signal the signal
	 * @return {@code true} if supported
	 */
	boolean supports(Signal signal) {
		return this.platform.posix() != null || this.platform.shell() != null || signal == Signal.TERM
				|| signal == Signal.KILL;
	}

	/**
	 * Send a signal to targets that may already be gone, all together, and return once it
	 * was sent.
	 * @param signal the signal
	 * @param targets the processes and groups
	 * @return when the signal was sent: after the last {@code kill(2)} call, or the
	 * {@code kill} process, returned
	 */
	Instant send(Signal signal, Collection<SignalTarget> targets) {
		if (targets.isEmpty()) {
			return Instant.now();
		}
		Posix posix = this.platform.posix();
		if (posix != null) {
			targets.forEach((target) -> posix.kill(target, signal));
		}
		else if (this.platform.shell() == null) {
			eachProcess(signal, targets);
		}
		else {
			withKillProcess(signal, targets);
		}
		return Instant.now();
	}

	private void withKillProcess(Signal signal, Collection<SignalTarget> targets) {
		List<String> command = new ArrayList<>();
		command.add(this.platform.shell().toString());
		command.add("-c");
		command.add(KILL_SCRIPT);
		command.add("sh");
		command.add(signal.name());
		targets.forEach((target) -> command.add(target.killArgument()));
		Process kill;
		try {
			kill = new ProcessBuilder(command).redirectInput(DEV_NULL)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException | OutOfMemoryError ex) {
			// An OutOfMemoryError may come after the fork (the JDK could not create the
			// thread that watches the child): the signal may be on its way, or not
			if (signal != Signal.KILL && signal != Signal.TERM) {
				logger.warn("Could not send " + signal.signalName() + " to " + targets + ": " + ex.getMessage());
				return;
			}
			logger.warn("Could not start 'kill' to send " + signal.signalName() + " (" + ex.getMessage()
					+ "); sending it to each process instead");
			eachProcess(signal, targets);
			return;
		}
		try {
			if (!kill.waitFor(5, TimeUnit.SECONDS)) {
				logger.warn("'kill' did not send " + signal.signalName() + " to " + targets + " within 5s");
				kill.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Send SIGTERM or SIGKILL to every process of the targets through the JDK: a group's
	 * members are taken from the process table.
	 */
	private void eachProcess(Signal signal, Collection<SignalTarget> targets) {
		Set<Long> pids = new LinkedHashSet<>();
		for (SignalTarget target : targets) {
			if (target.group() && this.table.available()) {
				// The leader's pid is no proof: it may have exited and been reused
				pids.addAll(this.table.snapshot().groupMembers(target.id()));
			}
			else {
				pids.add(target.id());
			}
		}
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent((handle) -> {
				if (signal == Signal.KILL) {
					handle.destroyForcibly();
				}
				else {
					handle.destroy();
				}
			});
		}
	}

}
