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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A tiny shell process that outlives the JVM only to take the replicas down with it. The
 * supervisor tells it, over its standard input, which process groups to watch. When that
 * pipe closes without a goodbye, the JVM is gone, even by SIGKILL, so the guard sends
 * SIGTERM to every group it watches, waits the grace period, and sends SIGKILL.
 * Signalling the group, not a process, is what also reaches grandchildren whose own
 * parent already exited; the kernel's parent-death signal would not.
 * <p>
 * The guard runs in a session of its own, so a Ctrl-C in a terminal does not reach it,
 * and it ignores SIGINT, SIGHUP and SIGTERM; only the end of its input ends it.
 * <p>
 * The guard is itself supervised: its exit is an event, and a guard that ends without
 * having been told goodbye (say, {@code kill -9} of it) is replaced at once by a new one
 * that is told every group the old one watched. One that keeps ending soon after its
 * start is replaced after a growing delay, never in a hot loop.
 *
 * @author the supervisor authors
 */
final class OrphanGuard implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OrphanGuard.class);

	/** A guard that ran this long before it ended does not count as ending repeatedly. */
	private static final Duration STEADY = Duration.ofSeconds(10);

	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration MAX_RETRY = Duration.ofSeconds(30);

	static final String SCRIPT = """
			trap '' INT HUP TERM
			tenths=$1
			watched=' '
			while read -r op target; do
			  case $op in
			    +) watched="$watched$target " ;;
			    -) case $watched in *" $target "*) watched="${watched%% $target *} ${watched#* $target }" ;; esac ;;
			    bye) exit 0 ;;
			  esac
			done
			set -- $watched
			[ $# -eq 0 ] && exit 0
			kill -s TERM -- "$@" 2>/dev/null
			i=0
			while [ $i -lt $tenths ]; do
			  sleep 0.1
			  alive=
			  for t do kill -s 0 -- "$t" 2>/dev/null && alive=1; done
			  [ -z "$alive" ] && exit 0
			  i=$((i+1))
			done
			kill -s KILL -- "$@" 2>/dev/null
			""";

	private final Platform platform;

	private final Duration grace;

	private final ScheduledExecutorService scheduler;

	private final Set<SignalTarget> watched = new LinkedHashSet<>();

	private @Nullable Process guard;

	private long startedNanos;

	/** How many guards in a row ended, or could not be started, soon after a start. */
	private int failures;

	private @Nullable ScheduledFuture<?> retry;

	private CompletableFuture<?> exitHandled = CompletableFuture.completedFuture(null);

	private int starts;

	private boolean closed;

	/**
	 * Create a guard; its process starts with {@link #prestart()} or the first
	 * {@link #watch}.
	 * @param platform what the operating system offers
	 * @param grace how long the guard waits between SIGTERM and SIGKILL
	 * @param scheduler runs a delayed start of a new guard after repeated failures
	 */
	OrphanGuard(Platform platform, Duration grace, ScheduledExecutorService scheduler) {
		this.platform = platform;
		this.grace = grace;
		this.scheduler = scheduler;
	}

	/**
	 * Return whether a guard can run here.
	 * @return {@code true} if there is a POSIX shell
	 */
	boolean supported() {
		return this.platform.shell() != null;
	}

	/**
	 * Start the guard process now rather than at the first {@link #watch}.
	 */
	synchronized void prestart() {
		if (!this.closed && supported() && this.guard == null && this.retry == null) {
			startOrRetry();
		}
	}

	synchronized void watch(SignalTarget target) {
		if (this.closed || !supported()) {
			return;
		}
		this.watched.add(target);
		send("+ " + target.killArgument());
	}

	synchronized void unwatch(SignalTarget target) {
		if (this.watched.remove(target)) {
			send("- " + target.killArgument());
		}
	}

	synchronized @Nullable Long pid() {
		return (this.guard != null && this.guard.isAlive()) ? this.guard.pid() : null;
	}

	/**
	 * Return how many guard processes were started.
	 * @return the number of starts
	 */
	synchronized int starts() {
		return this.starts;
	}

	/**
	 * Return a future completing once the end of the current guard process has been dealt
	 * with.
	 * @return the future
	 */
	synchronized CompletableFuture<?> exitHandled() {
		return this.exitHandled;
	}

	/**
	 * Say goodbye: the guard exits without signalling anything, and is not replaced.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.retry != null) {
			this.retry.cancel(false);
			this.retry = null;
		}
		if (this.guard != null) {
			try (OutputStream input = this.guard.getOutputStream()) {
				input.write("bye\n".getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// Already gone: nothing left to tell it
			}
			this.guard = null;
		}
	}

	/**
	 * Close the guard's input without a goodbye, as the death of the JVM would.
	 */
	synchronized void closeInputForTest() {
		if (this.guard != null) {
			try {
				this.guard.getOutputStream().close();
			}
			catch (IOException ex) {
				// Already closed
			}
			this.guard = null;
		}
	}

	private void send(String line) {
		Process current = this.guard;
		if (current != null && current.isAlive()) {
			try {
				OutputStream input = current.getOutputStream();
				input.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
				input.flush();
				return;
			}
			catch (IOException ex) {
				// Its input is closed at its end: it is ending
				current.destroyForcibly();
			}
		}
		if (current != null) {
			// Ended, and the event is still on its way: a new guard learns the whole
			// watched set, which already reflects this line
			ended(current);
		}
		else if (this.retry == null) {
			startOrRetry();
		}
	}

	/**
	 * A guard process ended. Unless it was told goodbye or replaced already, that is
	 * unexpected: a new one takes over every group at once, or after a delay if guards
	 * keep ending soon after their start.
	 */
	private synchronized void ended(Process process) {
		if (this.closed || process != this.guard) {
			return;
		}
		this.guard = null;
		String how = process.isAlive() ? "stopped reading its input"
				: "ended unexpectedly with " + new ExitStatus(process.exitValue());
		boolean soon = System.nanoTime() - this.startedNanos < STEADY.toNanos();
		this.failures = soon ? this.failures + 1 : 1;
		if (this.failures <= 1) {
			logger.warn("Orphan guard (pid " + process.pid() + ") " + how + "; starting a new one watching "
					+ this.watched.size() + " process group(s)");
			startOrRetry();
		}
		else {
			Duration delay = retryDelay();
			logger.warn("Orphan guard (pid " + process.pid() + ") " + how + ", " + this.failures
					+ " times in a row within " + STEADY.toSeconds() + "s of its start; starting a new one in "
					+ delay.toMillis() + "ms. Until then replicas are not stopped if the JVM is killed");
			scheduleRetry(delay);
		}
	}

	/**
	 * Start a guard now; if that fails, try again later.
	 */
	private void startOrRetry() {
		try {
			start();
			if (this.failures > 0 && logger.isInfoEnabled()) {
				logger.info("Started a new orphan guard (pid " + this.guard.pid() + ") watching " + this.watched.size()
						+ " process group(s)");
			}
		}
		catch (IOException | OutOfMemoryError ex) {
			// OutOfMemoryError: no thread for the JDK to watch the new process
			this.failures++;
			Duration delay = retryDelay();
			logger.warn("Could not start the orphan guard (" + ex.getMessage() + "); trying again in "
					+ delay.toMillis() + "ms. Until then replicas are not stopped if the JVM is killed");
			scheduleRetry(delay);
		}
	}

	private Duration retryDelay() {
		int doublings = Math.min(Math.max(0, this.failures - 2), 16);
		Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
		return (delay.compareTo(MAX_RETRY) > 0) ? MAX_RETRY : delay;
	}

	private void scheduleRetry(Duration delay) {
		try {
			this.retry = this.scheduler.schedule(this::retry, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The supervisor is closing: nothing to guard any more
		}
	}

	private synchronized void retry() {
		this.retry = null;
		if (!this.closed && this.guard == null) {
			startOrRetry();
		}
	}

	private void start() throws IOException {
		List<String> command = new ArrayList<>();
		if (this.platform.setsid() != null) {
			command.add(this.platform.setsid().toString());
		}
		command.add(this.platform.shell().toString());
		command.add("-c");
		command.add(SCRIPT);
		command.add("supervisor-orphan-guard");
		command.add(Long.toString(Math.max(1, this.grace.toMillis() / 100)));
		Process started = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.guard = started;
		this.startedNanos = System.nanoTime();
		this.starts++;
		// Its end is an event like any child's
		this.exitHandled = started.onExit().whenComplete((process, ex) -> ended(started));
		OutputStream input = started.getOutputStream();
		for (SignalTarget target : this.watched) {
			input.write(("+ " + target.killArgument() + "\n").getBytes(StandardCharsets.US_ASCII));
		}
		input.flush();
		logger.debug("Started orphan guard, pid " + started.pid());
	}

}
