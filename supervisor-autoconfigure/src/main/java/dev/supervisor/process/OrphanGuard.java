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
 *
 * @author the supervisor authors
 */
final class OrphanGuard implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OrphanGuard.class);

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

	private final Set<SignalTarget> watched = new LinkedHashSet<>();

	private @Nullable Process guard;

	private boolean closed;

	OrphanGuard(Platform platform, Duration grace) {
		this.platform = platform;
		this.grace = grace;
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
		if (!this.closed && supported() && this.guard == null) {
			try {
				start();
			}
			catch (IOException ex) {
				logger.warn("Could not start the orphan guard: " + ex.getMessage());
			}
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
	 * Say goodbye: the guard exits without signalling anything.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
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
				logger.warn("Orphan guard is not reachable (" + ex.getMessage() + "); starting a new one");
				current.destroyForcibly();
			}
		}
		// A new guard learns the whole watched set, which already reflects this line
		try {
			start();
		}
		catch (IOException ex) {
			logger.warn("Could not start the orphan guard: " + ex.getMessage()
					+ "; replicas will not be stopped if the JVM is killed");
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
		OutputStream input = started.getOutputStream();
		for (SignalTarget target : this.watched) {
			input.write(("+ " + target.killArgument() + "\n").getBytes(StandardCharsets.US_ASCII));
		}
		input.flush();
		logger.debug("Started orphan guard, pid " + started.pid());
	}

}
