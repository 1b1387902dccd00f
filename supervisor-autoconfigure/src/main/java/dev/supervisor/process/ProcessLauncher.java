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
import java.util.List;
import java.util.Map;

/**
 * Starts replica processes: resolves the placeholders, sets up the environment and the
 * working directory, and on Linux makes each replica the leader of a process group and
 * session of its own: directly with {@code posix_spawn} where the JVM allows it
 * ({@link Posix}), otherwise through {@code setsid}, which keeps the process id. Standard
 * input is {@code /dev/null}.
 *
 * @author the supervisor authors
 */
final class ProcessLauncher {

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

	ChildProcess launch(WorkerSpec spec, ReplicaContext context, Map<String, String> extra) throws IOException {
		List<String> command = context.resolve(spec.command());
		Posix posix = this.platform.posix();
		List<String> argv = new ArrayList<>(command.size() + 1);
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
		if (posix != null) {
			Process process = posix.spawn(command, env, spec.workingDirectory(), spec.output().mode(),
					spec.output().separateStderr());
			return new ChildProcess(process, context, command, true, spec.output().tailLines());
		}
		if (!this.platform.windows()) {
			builder.redirectInput(new File("/dev/null"));
		}
		ProcessBuilder.Redirect output = switch (spec.output().mode()) {
			case LOG -> ProcessBuilder.Redirect.PIPE;
			case INHERIT -> ProcessBuilder.Redirect.INHERIT;
			case DISCARD -> ProcessBuilder.Redirect.DISCARD;
		};
		builder.redirectOutput(output).redirectError(output);
		if (spec.output().mode() == OutputSpec.Mode.LOG && !spec.output().separateStderr()) {
			builder.redirectErrorStream(true);
		}
		Process process = builder.start();
		if (this.platform.windows()) {
			process.getOutputStream().close();
		}
		return new ChildProcess(process, context, command, this.platform.processGroups(), spec.output().tailLines());
	}

}
