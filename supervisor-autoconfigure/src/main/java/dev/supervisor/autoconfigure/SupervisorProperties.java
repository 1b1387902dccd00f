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

package dev.supervisor.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.supervisor.process.GiveUpAction;
import dev.supervisor.process.OutputSpec;
import dev.supervisor.process.RestartPolicy;
import dev.supervisor.process.Signal;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the supervisor.
 *
 * @author the supervisor authors
 */
@ConfigurationProperties("supervisor")
public class SupervisorProperties {

	/**
	 * Whether to supervise the configured workers.
	 */
	private boolean enabled = true;

	/**
	 * Worker groups to supervise, by name.
	 */
	private Map<String, Worker> workers = new LinkedHashMap<>();

	/**
	 * Most replicas one worker group may run, in its configuration and when it is scaled
	 * through the actuator endpoint.
	 */
	private int maxReplicas = 1000;

	private final Shutdown shutdown = new Shutdown();

	private final OrphanGuard orphanGuard = new OrphanGuard();

	private final Leftovers leftovers = new Leftovers();

	private final NativeAccess nativeAccess = new NativeAccess();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Worker> getWorkers() {
		return this.workers;
	}

	public void setWorkers(Map<String, Worker> workers) {
		this.workers = workers;
	}

	public int getMaxReplicas() {
		return this.maxReplicas;
	}

	public void setMaxReplicas(int maxReplicas) {
		this.maxReplicas = maxReplicas;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public OrphanGuard getOrphanGuard() {
		return this.orphanGuard;
	}

	public Leftovers getLeftovers() {
		return this.leftovers;
	}

	public NativeAccess getNativeAccess() {
		return this.nativeAccess;
	}

	/**
	 * Calling the operating system directly instead of through executables.
	 */
	public static class NativeAccess {

		/**
		 * Whether to start workers with posix_spawn and signal them with kill(2), called
		 * directly, when the JVM grants native access (JDK 22 or later on Linux with
		 * glibc, run with --enable-native-access=ALL-UNNAMED). Otherwise, and always on
		 * Java 17 to 21, workers are started through setsid and signalled through the
		 * shell's kill.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Finding what an earlier run of the application left behind.
	 */
	public static class Leftovers {

		/**
		 * Whether to look, at startup, for live processes that an earlier run of this
		 * application started and could not stop (it was killed too hard), and stop them
		 * before starting workers.
		 */
		private boolean enabled = true;

		/**
		 * Identity marked on every worker process, by which leftovers of an earlier run
		 * are recognized. Defaults to spring.application.name and the working directory.
		 */
		private @Nullable String identity;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getIdentity() {
			return this.identity;
		}

		public void setIdentity(@Nullable String identity) {
			this.identity = identity;
		}

	}

	/**
	 * Shutdown settings.
	 */
	public static class Shutdown {

		/**
		 * Time the whole shutdown may take: workers are asked to stop when the
		 * application starts closing and are killed when it is up. Also the default stop
		 * timeout of every worker.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Grace period the orchestrator gives the application before it kills it, for
		 * example Kubernetes' terminationGracePeriodSeconds. When set, the shutdown
		 * timeout is checked to fit below it.
		 */
		private @Nullable Duration gracePeriod;

		/**
		 * Time to keep serving after readiness went to refusing traffic, so that load
		 * balancers notice, before the web server stops accepting requests and the
		 * workers are asked to stop. Taken out of the timeout, never added to it.
		 */
		private Duration drainDelay = Duration.ZERO;

		/**
		 * What to do at startup when shutdown budgets conflict (Spring's per-phase
		 * timeout, worker stop timeouts, the grace period): warn, fail or off.
		 */
		private BudgetCheck budgetCheck = BudgetCheck.WARN;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getDrainDelay() {
			return this.drainDelay;
		}

		public void setDrainDelay(Duration drainDelay) {
			this.drainDelay = drainDelay;
		}

		public @Nullable Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(@Nullable Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public BudgetCheck getBudgetCheck() {
			return this.budgetCheck;
		}

		public void setBudgetCheck(BudgetCheck budgetCheck) {
			this.budgetCheck = budgetCheck;
		}

	}

	/**
	 * What to do when shutdown budgets conflict.
	 */
	public enum BudgetCheck {

		/** Log a warning with the numbers. */
		WARN,

		/** Fail the application start. */
		FAIL,

		/** Do not check. */
		OFF

	}

	/**
	 * Settings of the guard process that takes the workers down if the JVM dies.
	 */
	public static class OrphanGuard {

		/**
		 * Whether a guard process stops the workers, with their process groups, when the
		 * JVM dies without stopping them (for example when it is killed with SIGKILL).
		 */
		private boolean enabled = true;

		/**
		 * Time the guard gives workers between SIGTERM and SIGKILL after the JVM died.
		 */
		private Duration gracePeriod = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/**
	 * A worker group: one command run as one or more replicas.
	 */
	public static class Worker {

		/**
		 * Command to run, as an argument list; no shell is involved unless it names one.
		 * May use ${supervisor.replica.index}, ${supervisor.replica.port} and
		 * ${supervisor.worker.name}.
		 */
		private List<String> command = new ArrayList<>();

		/**
		 * Environment variables added to the application's environment. Values may use
		 * the replica placeholders.
		 */
		private Map<String, String> environment = new LinkedHashMap<>();

		/**
		 * Directory the replicas run in. Defaults to the application's working directory.
		 */
		private @Nullable String workingDirectory;

		/**
		 * Number of replicas to run.
		 */
		private int replicas = 1;

		/**
		 * Port of replica 0; replica i gets port + i. When 0, a free port is picked for
		 * each replica if ${supervisor.replica.port} is used. Replicas also find it in
		 * SUPERVISOR_PORT.
		 */
		private int port;

		/**
		 * Run a Java main class on the application's own JDK and class path instead of a
		 * command.
		 */
		@NestedConfigurationProperty
		private final Java java = new Java();

		/**
		 * When an ended replica is started again.
		 */
		private RestartPolicy restart = RestartPolicy.ALWAYS;

		private final Backoff backoff = new Backoff();

		private final CrashLoop crashLoop = new CrashLoop();

		/**
		 * What happens when the crash-loop limit is hit: shut the application down with a
		 * non-zero exit code, or keep running with the group reported failed.
		 */
		private GiveUpAction onGiveUp = GiveUpAction.SHUTDOWN;

		private final Readiness readiness = new Readiness();

		/**
		 * Time a replica may take to become ready; one that is not ready in time is
		 * stopped and counts as a startup failure.
		 */
		private Duration startupTimeout = Duration.ofSeconds(60);

		/**
		 * Signal that asks a replica to stop gracefully.
		 */
		private Signal stopSignal = Signal.TERM;

		/**
		 * Time a replica may take to stop before its process tree is killed. Defaults to
		 * supervisor.shutdown.timeout.
		 */
		private @Nullable Duration stopTimeout;

		private final Output output = new Output();

		/**
		 * Time a ready worker may go without a heartbeat on the control channel before it
		 * is restarted as hung. Workers are told to send one every third of it.
		 */
		private @Nullable Duration heartbeatTimeout;

		private final Liveness liveness = new Liveness();

		/**
		 * Whether the group counts for the application's health: required (a group that
		 * gave up takes the supervisor health contributor, and with it readiness, DOWN)
		 * or optional (it shows in the details but never changes the status).
		 */
		private WorkerHealth health = WorkerHealth.REQUIRED;

		public List<String> getCommand() {
			return this.command;
		}

		public void setCommand(List<String> command) {
			this.command = command;
		}

		public Map<String, String> getEnvironment() {
			return this.environment;
		}

		public void setEnvironment(Map<String, String> environment) {
			this.environment = environment;
		}

		public @Nullable String getWorkingDirectory() {
			return this.workingDirectory;
		}

		public void setWorkingDirectory(@Nullable String workingDirectory) {
			this.workingDirectory = workingDirectory;
		}

		public int getReplicas() {
			return this.replicas;
		}

		public void setReplicas(int replicas) {
			this.replicas = replicas;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Java getJava() {
			return this.java;
		}

		public RestartPolicy getRestart() {
			return this.restart;
		}

		public void setRestart(RestartPolicy restart) {
			this.restart = restart;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public CrashLoop getCrashLoop() {
			return this.crashLoop;
		}

		public GiveUpAction getOnGiveUp() {
			return this.onGiveUp;
		}

		public void setOnGiveUp(GiveUpAction onGiveUp) {
			this.onGiveUp = onGiveUp;
		}

		public Readiness getReadiness() {
			return this.readiness;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public Signal getStopSignal() {
			return this.stopSignal;
		}

		public void setStopSignal(Signal stopSignal) {
			this.stopSignal = stopSignal;
		}

		public @Nullable Duration getStopTimeout() {
			return this.stopTimeout;
		}

		public void setStopTimeout(@Nullable Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
		}

		public Output getOutput() {
			return this.output;
		}

		public @Nullable Duration getHeartbeatTimeout() {
			return this.heartbeatTimeout;
		}

		public void setHeartbeatTimeout(@Nullable Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
		}

		public Liveness getLiveness() {
			return this.liveness;
		}

		public WorkerHealth getHealth() {
			return this.health;
		}

		public void setHealth(WorkerHealth health) {
			this.health = health;
		}

	}

	/**
	 * Whether a worker group counts for the application's health.
	 */
	public enum WorkerHealth {

		/** The group's state decides the health status. */
		REQUIRED,

		/** The group shows in the health details but never changes the status. */
		OPTIONAL

	}

	/**
	 * A liveness check of ready replicas: the tcp or http readiness check, repeated.
	 */
	public static class Liveness {

		/**
		 * Whether ready replicas are checked for liveness, repeating their tcp or http
		 * readiness check. A replica that fails failure-threshold checks in a row is
		 * restarted as hung.
		 */
		private boolean enabled;

		/**
		 * Time between liveness checks.
		 */
		private Duration period = Duration.ofSeconds(10);

		/**
		 * Failed liveness checks in a row after which a replica is restarted.
		 */
		private int failureThreshold = 3;

		/**
		 * Time one liveness check may take.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * A Java main class run on the application's own JDK and class path.
	 */
	public static class Java {

		/**
		 * Fully qualified main class to run.
		 */
		private @Nullable String mainClass;

		/**
		 * Options for the JVM, such as -Xmx64m.
		 */
		private List<String> jvmArgs = new ArrayList<>();

		/**
		 * Arguments for the main method. May use the replica placeholders.
		 */
		private List<String> args = new ArrayList<>();

		public @Nullable String getMainClass() {
			return this.mainClass;
		}

		public void setMainClass(@Nullable String mainClass) {
			this.mainClass = mainClass;
		}

		public List<String> getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(List<String> jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		public List<String> getArgs() {
			return this.args;
		}

		public void setArgs(List<String> args) {
			this.args = args;
		}

	}

	/**
	 * Exponential backoff with jitter between restarts.
	 */
	public static class Backoff {

		/**
		 * Delay before the first restart within the crash-loop window.
		 */
		private Duration initial = Duration.ofMillis(100);

		/**
		 * Longest delay between restarts.
		 */
		private Duration max = Duration.ofSeconds(30);

		/**
		 * Factor applied to the delay for every further restart within the window.
		 */
		private double multiplier = 2;

		/**
		 * Fraction (0 to 1) by which each delay is randomly lengthened or shortened.
		 */
		private double jitter = 0.2;

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * The crash-loop limit: at most max-restarts restarts of a replica within the window.
	 */
	public static class CrashLoop {

		/**
		 * Restarts of one replica allowed within the window; one more and the group gives
		 * up.
		 */
		private int maxRestarts = 5;

		/**
		 * Sliding window in which restarts are counted.
		 */
		private Duration window = Duration.ofMinutes(1);

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * How the supervisor learns that a replica is ready.
	 */
	public static class Readiness {

		/**
		 * Kind of readiness check: none (alive for min-uptime), log (a line matches
		 * pattern), tcp (a port accepts a connection), http (a URL answers 2xx) or notify
		 * (the worker says READY on the control channel).
		 */
		private ReadinessType type = ReadinessType.NONE;

		/**
		 * Uptime after which a replica counts as ready when the type is none.
		 */
		private Duration minUptime = Duration.ofSeconds(1);

		/**
		 * Regular expression searched for in every output line when the type is log.
		 */
		private @Nullable String pattern;

		/**
		 * Host to connect to when the type is tcp.
		 */
		private String host = "127.0.0.1";

		/**
		 * Port to connect to when the type is tcp. Defaults to the replica's port.
		 */
		private int port;

		/**
		 * URL to call when the type is http. May use the replica placeholders.
		 */
		private @Nullable String url;

		/**
		 * Time between tcp or http attempts.
		 */
		private Duration interval = Duration.ofMillis(200);

		/**
		 * Time one tcp or http attempt may take.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		public ReadinessType getType() {
			return this.type;
		}

		public void setType(ReadinessType type) {
			this.type = type;
		}

		public Duration getMinUptime() {
			return this.minUptime;
		}

		public void setMinUptime(Duration minUptime) {
			this.minUptime = minUptime;
		}

		public @Nullable String getPattern() {
			return this.pattern;
		}

		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Kinds of readiness check.
	 */
	public enum ReadinessType {

		/** Ready after a minimum uptime. */
		NONE,

		/** Ready when an output line matches a pattern. */
		LOG,

		/** Ready when a TCP port accepts a connection. */
		TCP,

		/** Ready when a URL answers with a 2xx status. */
		HTTP,

		/** Ready when the worker says READY on the control channel. */
		NOTIFY

	}

	/**
	 * Where a replica's output goes.
	 */
	public static class Output {

		/**
		 * Destination of standard output and error: log (a logger named
		 * supervisor.worker.NAME.REPLICA, with MDC), inherit (the application's own
		 * stdout and stderr) or discard.
		 */
		private OutputSpec.Mode mode = OutputSpec.Mode.LOG;

		/**
		 * Whether standard error is logged apart from standard output, with the stream in
		 * the MDC, at the cost of a second thread per replica. By default it is merged
		 * into standard output.
		 */
		private boolean separateStderr;

		/**
		 * Longest line kept; the rest of a longer line is dropped.
		 */
		private DataSize maxLineLength = DataSize.ofKilobytes(8);

		/**
		 * Number of last lines kept for failure reports and the actuator endpoint.
		 */
		private int tailLines = 50;

		/**
		 * What happens when a replica prints faster than logging can take: drop lines
		 * (never block the replica) or block (back-pressure on the replica).
		 */
		private OutputSpec.Overflow overflow = OutputSpec.Overflow.DROP;

		public OutputSpec.Mode getMode() {
			return this.mode;
		}

		public void setMode(OutputSpec.Mode mode) {
			this.mode = mode;
		}

		public boolean isSeparateStderr() {
			return this.separateStderr;
		}

		public void setSeparateStderr(boolean separateStderr) {
			this.separateStderr = separateStderr;
		}

		public DataSize getMaxLineLength() {
			return this.maxLineLength;
		}

		public void setMaxLineLength(DataSize maxLineLength) {
			this.maxLineLength = maxLineLength;
		}

		public int getTailLines() {
			return this.tailLines;
		}

		public void setTailLines(int tailLines) {
			this.tailLines = tailLines;
		}

		public OutputSpec.Overflow getOverflow() {
			return this.overflow;
		}

		public void setOverflow(OutputSpec.Overflow overflow) {
			this.overflow = overflow;
		}

	}

}
