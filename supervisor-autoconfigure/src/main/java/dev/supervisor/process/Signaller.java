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
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends signals by name to processes and process groups. The JDK can only send SIGTERM
 * and SIGKILL to a single process, so {@code kill(2)} is called directly where the JVM
 * allows it ({@link Posix}); otherwise, on POSIX systems, the shell's built-in
 * {@code kill} does it, many targets in one call. Without a shell (Windows) only a
 * graceful request ({@link Process#destroy()}) and a kill are possible.
 *
 * @author the supervisor authors
 */
final class Signaller {

	private static final Log logger = LogFactory.getLog(Signaller.class);

	private static final String KILL_SCRIPT = "sig=$1; shift; kill -s \"$sig\" -- \"$@\" 2>/dev/null; exit 0";

	private static final File DEV_NULL = new File("/dev/null");

	private final Platform platform;

	private final Executor executor;

	private final Map<Signal, List<Request>> pending = new EnumMap<>(Signal.class);

	private boolean flushing;

	Signaller(Platform platform, Executor executor) {
		this.platform = platform;
		this.executor = executor;
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
	 * Send a signal to targets that may already be gone.
	 * @param signal the signal
	 * @param targets the processes and groups
	 * @return a future completing once the signal has been sent
	 */
	CompletableFuture<Void> send(Signal signal, Collection<SignalTarget> targets) {
		if (targets.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> sent = new CompletableFuture<>();
		synchronized (this.pending) {
			this.pending.computeIfAbsent(signal, (key) -> new ArrayList<>())
				.add(new Request(List.copyOf(targets), sent));
			if (!this.flushing) {
				this.flushing = true;
				this.executor.execute(this::flush);
			}
		}
		return sent;
	}

	/**
	 * Send what was asked for, one {@code kill} per signal for all targets that piled up
	 * meanwhile: stopping 200 replicas at once costs a few processes, not 200.
	 */
	private void flush() {
		while (true) {
			Map<Signal, List<Request>> batch;
			synchronized (this.pending) {
				if (this.pending.isEmpty()) {
					this.flushing = false;
					return;
				}
				batch = new EnumMap<>(this.pending);
				this.pending.clear();
			}
			batch.forEach((signal, requests) -> {
				List<SignalTarget> targets = new ArrayList<>();
				requests.forEach((request) -> targets.addAll(request.targets()));
				try {
					sendNow(signal, targets);
				}
				finally {
					requests.forEach((request) -> request.sent().complete(null));
				}
			});
		}
	}

	private void sendNow(Signal signal, List<SignalTarget> targets) {
		Posix posix = this.platform.posix();
		if (posix != null) {
			targets.forEach((target) -> posix.kill(target, signal));
			return;
		}
		if (this.platform.shell() == null) {
			targets.forEach((target) -> ProcessHandle.of(target.id())
				.ifPresent((handle) -> destroy(handle, signal == Signal.KILL)));
			return;
		}
		List<String> command = new ArrayList<>();
		command.add(this.platform.shell().toString());
		command.add("-c");
		command.add(KILL_SCRIPT);
		command.add("sh");
		command.add(signal.name());
		targets.forEach((target) -> command.add(target.killArgument()));
		try {
			Process kill = new ProcessBuilder(command).redirectInput(DEV_NULL)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!kill.waitFor(5, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
			}
		}
		catch (IOException ex) {
			logger.warn("Could not send " + signal.signalName() + " to " + targets + ": " + ex.getMessage());
			if (signal == Signal.KILL || signal == Signal.TERM) {
				targets.forEach((target) -> ProcessHandle.of(target.id())
					.ifPresent((handle) -> destroy(handle, signal == Signal.KILL)));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Request(List<SignalTarget> targets, CompletableFuture<Void> sent) {
	}

	private static void destroy(ProcessHandle handle, boolean forcibly) {
		if (forcibly) {
			handle.destroyForcibly();
		}
		else {
			handle.destroy();
		}
	}

}
