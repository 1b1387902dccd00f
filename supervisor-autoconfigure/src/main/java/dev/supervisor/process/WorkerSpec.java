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

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Everything the supervisor needs to run one worker group: the command, how many
 * replicas, how they are restarted, when they count as ready and how they are stopped.
 * Commands and environment values may contain the {@link ReplicaContext} placeholders.
 *
 * @param name the worker group's name
 * @param command the argument vector; no shell is involved unless it names one
 * @param environment variables added to the application's own environment
 * @param workingDirectory the directory the replicas run in, or {@code null} for the
 * application's
 * @param replicas how many replicas to run
 * @param port the port of replica 0 (replica {@code i} gets {@code port + i}), or 0 to
 * pick a free port per replica when the port placeholder is used
 * @param restart when an ended replica is started again
 * @param backoff the delay between restarts
 * @param crashLoop the crash-loop limit
 * @param onGiveUp what happens when the crash-loop limit is hit
 * @param readiness when a replica counts as ready
 * @param startupTimeout how long a replica may take to become ready
 * @param stopSignal the signal asking a replica to stop gracefully
 * @param stopTimeout how long a replica may take to stop before it is killed, or
 * {@code null} for the supervisor's default (the shutdown timeout)
 * @param output where output goes
 * @param heartbeatTimeout how long a ready replica may go without a heartbeat on the
 * control channel before it is restarted as hung, or {@code null} for no heartbeats
 * @param liveness the liveness check of a ready replica, or {@code null} for none
 * @author the supervisor authors
 */
public record WorkerSpec(String name, List<String> command, Map<String, String> environment,
		@Nullable Path workingDirectory, int replicas, int port, RestartPolicy restart, Backoff backoff,
		CrashLoopLimit crashLoop, GiveUpAction onGiveUp, Readiness readiness, Duration startupTimeout,
		Signal stopSignal, @Nullable Duration stopTimeout, OutputSpec output, @Nullable Duration heartbeatTimeout,
		@Nullable Liveness liveness) {

	/**
	 * Validate the values and copy the collections.
	 * @param name the name
	 * @param command the command
	 * @param environment the environment
	 * @param workingDirectory the working directory
	 * @param replicas the replicas
	 * @param port the port
	 * @param restart the restart policy
	 * @param backoff the backoff
	 * @param crashLoop the crash-loop limit
	 * @param onGiveUp the give-up action
	 * @param readiness the readiness check
	 * @param startupTimeout the startup timeout
	 * @param stopSignal the stop signal
	 * @param stopTimeout the stop timeout
	 * @param output the output
	 * @param heartbeatTimeout the heartbeat timeout
	 * @param liveness the liveness check
	 */
	public WorkerSpec {
		Objects.requireNonNull(name, "'name' must not be null");
		if (command.isEmpty()) {
			throw new IllegalArgumentException("Worker '" + name + "' has an empty command");
		}
		if (replicas < 0) {
			throw new IllegalArgumentException("Worker '" + name + "' must not have negative replicas");
		}
		if (port < 0 || port > 65535 || port > 0 && port + Math.max(replicas - 1, 0) > 65535) {
			throw new IllegalArgumentException("Worker '" + name + "' would need ports " + port + " to "
					+ (port + Math.max(replicas - 1, 0)) + "; ports are between 1 and 65535");
		}
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

	/**
	 * Return whether replicas of this worker talk to the supervisor over the control
	 * channel: they say when they are ready, or send heartbeats.
	 * @return {@code true} if they get a control channel
	 */
	public boolean usesControlChannel() {
		return this.readiness instanceof Readiness.Notify || this.heartbeatTimeout != null;
	}

	/**
	 * Return whether replicas of this worker have a port.
	 * @return {@code true} if a port is configured or used by a placeholder
	 */
	public boolean hasPort() {
		if (this.port > 0 || ReplicaContext.usesPort(this.command)
				|| ReplicaContext.usesPort(this.environment.values())) {
			return true;
		}
		return (this.readiness instanceof Readiness.Http http) && http.url().contains(ReplicaContext.PORT)
				|| (this.readiness instanceof Readiness.Tcp tcp) && tcp.port() == 0;
	}

	/**
	 * Return a copy with a different number of replicas.
	 * @param replicas the replicas
	 * @return the copy
	 */
	public WorkerSpec withReplicas(int replicas) {
		return new WorkerSpec(this.name, this.command, this.environment, this.workingDirectory, replicas, this.port,
				this.restart, this.backoff, this.crashLoop, this.onGiveUp, this.readiness, this.startupTimeout,
				this.stopSignal, this.stopTimeout, this.output, this.heartbeatTimeout, this.liveness);
	}

	/**
	 * Start building a spec with the defaults: one replica, restart always, ready after
	 * one second of uptime, stopped with SIGTERM.
	 * @param name the worker group's name
	 * @param command the argument vector
	 * @return a builder
	 */
	public static Builder builder(String name, List<String> command) {
		return new Builder(name, command);
	}

	/**
	 * Builds a {@link WorkerSpec} from defaults.
	 */
	public static final class Builder {

		private final String name;

		private final List<String> command;

		private final Map<String, String> environment = new LinkedHashMap<>();

		private @Nullable Path workingDirectory;

		private int replicas = 1;

		private int port;

		private RestartPolicy restart = RestartPolicy.ALWAYS;

		private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), 2, 0.2);

		private CrashLoopLimit crashLoop = new CrashLoopLimit(5, Duration.ofMinutes(1));

		private GiveUpAction onGiveUp = GiveUpAction.SHUTDOWN;

		private Readiness readiness = new Readiness.Uptime(Duration.ofSeconds(1));

		private Duration startupTimeout = Duration.ofSeconds(60);

		private Signal stopSignal = Signal.TERM;

		private @Nullable Duration stopTimeout;

		private OutputSpec output = OutputSpec.DEFAULT;

		private @Nullable Duration heartbeatTimeout;

		private @Nullable Liveness liveness;

		private Builder(String name, List<String> command) {
			this.name = name;
			this.command = command;
		}

		public Builder environment(Map<String, String> environment) {
			this.environment.putAll(environment);
			return this;
		}

		public Builder workingDirectory(@Nullable Path workingDirectory) {
			this.workingDirectory = workingDirectory;
			return this;
		}

		public Builder replicas(int replicas) {
			this.replicas = replicas;
			return this;
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder restart(RestartPolicy restart) {
			this.restart = restart;
			return this;
		}

		public Builder backoff(Backoff backoff) {
			this.backoff = backoff;
			return this;
		}

		public Builder crashLoop(CrashLoopLimit crashLoop) {
			this.crashLoop = crashLoop;
			return this;
		}

		public Builder onGiveUp(GiveUpAction onGiveUp) {
			this.onGiveUp = onGiveUp;
			return this;
		}

		public Builder readiness(Readiness readiness) {
			this.readiness = readiness;
			return this;
		}

		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
			return this;
		}

		public Builder stopSignal(Signal stopSignal) {
			this.stopSignal = stopSignal;
			return this;
		}

		public Builder stopTimeout(@Nullable Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
			return this;
		}

		public Builder output(OutputSpec output) {
			this.output = output;
			return this;
		}

		public Builder heartbeatTimeout(@Nullable Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
			return this;
		}

		public Builder liveness(@Nullable Liveness liveness) {
			this.liveness = liveness;
			return this;
		}

		public WorkerSpec build() {
			return new WorkerSpec(this.name, this.command, this.environment, this.workingDirectory, this.replicas,
					this.port, this.restart, this.backoff, this.crashLoop, this.onGiveUp, this.readiness,
					this.startupTimeout, this.stopSignal, this.stopTimeout, this.output, this.heartbeatTimeout,
					this.liveness);
		}

	}

}
