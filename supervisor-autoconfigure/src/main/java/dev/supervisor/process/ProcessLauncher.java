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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Starts replica processes: resolves the placeholders, sets up the environment and the
 * working directory, and on Linux makes each replica the leader of a process group and
 * session of its own: directly with {@code posix_spawn} where the JVM allows it
 * ({@link Posix}), otherwise through {@code setsid}, which keeps the process id. Standard
 * input is {@code /dev/null}, no signal is blocked, and every signal has its default
 * disposition, whatever this JVM inherited ({@link InheritedSignals}).
 * <p>
 * A start can fail after the process was created: the JDK, or the supervisor, may be
 * unable to create the thread that watches it or reads its output. What can be reserved
 * beforehand is (the output threads); for the rest, every process carries a one-time
 * token in its environment ({@value #SPAWN}), by which a process whose start failed
 * half-way is found among this JVM's children and handed back to be stopped
 * ({@link LaunchException#stray()}).
 *
 * @author the supervisor authors
 */
final class ProcessLauncher {

	/** The environment variable naming one spawn, so that its process can be found. */
	static final String SPAWN = "SUPERVISOR_SPAWN";

	/**
	 * Runs right after a process was spawned, where a failure leaves a running process
	 * that the supervisor has no {@link Process} for. Only tests set it, to make such a
	 * failure happen on purpose.
	 */
	static volatile @Nullable Consumer<Process> afterSpawn;

	private final Platform platform;

	private final Map<String, String> environment;

	/**
	 * Create a launcher.
	 * @param platform what the operating system offers
	 * @param environment variables given to every replica, on top of the application's
	 * environment and before the worker's own
	 */
	ProcessLauncher(Platform platform, Map<String, String> environment) {
		this.platform = platform;
		this.environment = Map.copyOf(environment);
	}

	boolean spawnsDirectly() {
		return this.platform.posix() != null;
	}

	boolean processGroups() {
		return this.platform.processGroups();
	}

	/**
	 * Start a replica's process.
	 * @param spec the worker
	 * @param context the replica
	 * @param extra more environment variables
	 * @return the process
	 * @throws LaunchException if it could not be started, with the process that was
	 * started nonetheless, if any
	 */
	ChildProcess launch(WorkerSpec spec, ReplicaContext context, Map<String, String> extra) throws LaunchException {
		List<String> command = context.resolve(spec.command());
		Posix posix = this.platform.posix();
		List<String> argv = new ArrayList<>(command.size() + 4);
		if (posix == null && !this.platform.windows()) {
			argv.addAll(InheritedSignals.resetPrefix());
		}
		if (posix == null && this.platform.setsid() != null) {
			argv.add(this.platform.setsid().toString());
		}
		argv.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(argv);
		if (spec.workingDirectory() != null) {
			builder.directory(spec.workingDirectory().toFile());
		}
		Map<String, String> env = builder.environment();
		// What this JVM inherited from a supervisor of its own is not passed on: only the
		// supervisor that starts a process tells it whose it is and where to report
		env.keySet()
			.removeIf((name) -> name.startsWith("SUPERVISOR_NOTIFY_") || name.equals(WorkerEnvironment.APP)
					|| name.equals(WorkerEnvironment.OWNER));
		env.putAll(this.environment);
		spec.environment().forEach((name, value) -> env.put(name, context.resolve(value)));
		env.putAll(extra);
		env.put(WorkerEnvironment.WORKER, context.worker());
		env.put(WorkerEnvironment.REPLICA, Integer.toString(context.index()));
		if (context.port() > 0) {
			env.put(WorkerEnvironment.PORT, Integer.toString(context.port()));
		}
		else {
			env.remove(WorkerEnvironment.PORT);
		}
		String token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
		env.put(SPAWN, token);
		List<OutputPump> pumps = reservePumps(spec.output(), context);
		try {
			Process process = (posix != null) ? posix.spawn(command, env, spec.workingDirectory(), spec.output().mode(),
					spec.output().separateStderr()) : start(builder, spec.output());
			Consumer<Process> hook = afterSpawn;
			if (hook != null) {
				hook.accept(process);
			}
			return new ChildProcess(process, context, command, this.platform.processGroups(), spec.output().tailLines(),
					pumps);
		}
		catch (IOException | RuntimeException | Error ex) {
			pumps.forEach(OutputPump::cancel);
			String detail = (ex instanceof IOException && ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			throw new LaunchException(detail, ex, find(token, context));
		}
	}

	private Process start(ProcessBuilder builder, OutputSpec spec) throws IOException {
		if (!this.platform.windows()) {
			builder.redirectInput(new File("/dev/null"));
		}
		ProcessBuilder.Redirect output = switch (spec.mode()) {
			case LOG -> ProcessBuilder.Redirect.PIPE;
			case INHERIT -> ProcessBuilder.Redirect.INHERIT;
			case DISCARD -> ProcessBuilder.Redirect.DISCARD;
		};
		builder.redirectOutput(output).redirectError(output);
		if (spec.mode() == OutputSpec.Mode.LOG && !spec.separateStderr()) {
			builder.redirectErrorStream(true);
		}
		Process process = builder.start();
		if (this.platform.windows()) {
			process.getOutputStream().close();
		}
		return process;
	}

	/**
	 * Start the threads that will read the output, before the process exists.
	 */
	private static List<OutputPump> reservePumps(OutputSpec output, ReplicaContext context) throws LaunchException {
		if (output.mode() != OutputSpec.Mode.LOG) {
			return List.of();
		}
		String prefix = "supervisor-" + context.worker() + "-" + context.index() + "-";
		List<OutputPump> pumps = new ArrayList<>(2);
		try {
			pumps.add(new OutputPump(prefix + "out"));
			if (output.separateStderr()) {
				pumps.add(new OutputPump(prefix + "err"));
			}
			return pumps;
		}
		catch (OutOfMemoryError ex) {
			pumps.forEach(OutputPump::cancel);
			throw new LaunchException("no thread could be created to read its output (" + ex.getMessage() + ")", ex,
					null);
		}
	}

	/**
	 * Find the child of this JVM that carries the token, if the spawn got that far.
	 */
	private @Nullable StopTarget find(String token, ReplicaContext context) {
		if (!this.platform.procfs()) {
			return null;
		}
		String entry = "\0" + SPAWN + "=" + token + "\0";
		for (ProcessHandle child : ProcessHandle.current().children().toList()) {
			Path directory = Path.of("/proc", Long.toString(child.pid()));
			try {
				String environment = "\0"
						+ new String(Files.readAllBytes(directory.resolve("environ")), StandardCharsets.UTF_8);
				if (environment.contains(entry)) {
					return new StrayProcess(child, context, directory.resolve("stat"));
				}
			}
			catch (IOException ex) {
				// Gone, or not ours: not the one
			}
		}
		return null;
	}

	/**
	 * Collect the exit status of a stopped stray, where this JVM is the one to do it.
	 * @param stray the stray
	 */
	void reap(StopTarget stray) {
		Posix posix = this.platform.posix();
		if (posix != null) {
			posix.reap(stray.pid());
		}
	}

	/**
	 * A replica's process could not be started, or not completely.
	 */
	static final class LaunchException extends IOException {

		private static final long serialVersionUID = 1L;

		private final transient @Nullable StopTarget stray;

		LaunchException(String message, Throwable cause, @Nullable StopTarget stray) {
			super(message, cause);
			this.stray = stray;
		}

		/**
		 * Return the process that was started before the start failed: it runs, and no
		 * one watches it until it is stopped.
		 * @return the process or {@code null}
		 */
		@Nullable StopTarget stray() {
			return this.stray;
		}

	}

}
