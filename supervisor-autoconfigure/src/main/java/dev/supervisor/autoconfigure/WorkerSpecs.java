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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.supervisor.autoconfigure.SupervisorProperties.Worker;
import dev.supervisor.process.Backoff;
import dev.supervisor.process.CommandLocator;
import dev.supervisor.process.CrashLoopLimit;
import dev.supervisor.process.JavaCommand;
import dev.supervisor.process.Liveness;
import dev.supervisor.process.OutputSpec;
import dev.supervisor.process.Readiness;
import dev.supervisor.process.ReplicaContext;
import dev.supervisor.process.WorkerSpec;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Turns the {@code supervisor.workers.*} properties into validated {@link WorkerSpec
 * worker specs}. Every problem is reported with the property to change and how, before
 * any process is started.
 *
 * @author the supervisor authors
 */
final class WorkerSpecs {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	static final String MAX_REPLICAS = "supervisor.max-replicas";

	private WorkerSpecs() {
	}

	static List<WorkerSpec> from(SupervisorProperties properties, @Nullable ClassLoader classLoader) {
		return from(properties, classLoader, null);
	}

	/**
	 * Return the validated specs of every worker.
	 * @param properties the properties
	 * @param classLoader the class loader main classes are looked up in
	 * @param serverPort the port of the application's own web server, if it has a fixed
	 * one
	 * @return the specs
	 */
	static List<WorkerSpec> from(SupervisorProperties properties, @Nullable ClassLoader classLoader,
			@Nullable Integer serverPort) {
		positive("supervisor.shutdown.timeout", properties.getShutdown().getTimeout());
		positive("supervisor.orphan-guard.grace-period", properties.getOrphanGuard().getGracePeriod());
		if (properties.getMaxReplicas() < 1) {
			throw invalid(MAX_REPLICAS, properties.getMaxReplicas(), "Must be at least 1.");
		}
		List<WorkerSpec> specs = new ArrayList<>();
		properties.getWorkers()
			.forEach((name, worker) -> specs.add(from(name, worker, classLoader, properties.getMaxReplicas())));
		checkPorts(specs, serverPort);
		return specs;
	}

	private static WorkerSpec from(String name, Worker worker, @Nullable ClassLoader classLoader, int maxReplicas) {
		String prefix = "supervisor.workers." + name + ".";
		if (!NAME.matcher(name).matches()) {
			throw invalid("supervisor.workers", name, "Worker names may contain only letters, digits, '.', '_' and '-'"
					+ " and must start with a letter or digit. Rename worker '" + name + "'.");
		}
		if (worker.getReplicas() < 1) {
			throw invalid(prefix + "replicas", worker.getReplicas(),
					"A worker needs at least one replica. Set it to 1 or more, or remove the worker.");
		}
		if (worker.getReplicas() > maxReplicas) {
			throw invalid(prefix + "replicas", worker.getReplicas(),
					"At most " + maxReplicas + " replicas of a worker are allowed (" + MAX_REPLICAS
							+ "). Lower it, or raise " + MAX_REPLICAS + " if the machine can take them.");
		}
		checkPort(prefix, worker);
		Path workingDirectory = workingDirectory(prefix, worker);
		List<String> command = command(prefix, name, worker, classLoader);
		checkPlaceholders(prefix, worker);
		checkEnvironment(prefix, worker);
		positive(prefix + "startup-timeout", worker.getStartupTimeout());
		if (worker.getStopTimeout() != null) {
			positive(prefix + "stop-timeout", worker.getStopTimeout());
		}
		Readiness readiness = readiness(prefix, worker);
		WorkerSpec spec = WorkerSpec.builder(name, command)
			.environment(worker.getEnvironment())
			.workingDirectory(workingDirectory)
			.replicas(worker.getReplicas())
			.port(worker.getPort())
			.restart(worker.getRestart())
			.backoff(backoff(prefix, worker))
			.crashLoop(crashLoop(prefix, worker))
			.onGiveUp(worker.getOnGiveUp())
			.readiness(readiness)
			.startupTimeout(worker.getStartupTimeout())
			.stopSignal(worker.getStopSignal())
			.stopTimeout(worker.getStopTimeout())
			.output(output(prefix, worker, readiness))
			.heartbeatTimeout(heartbeatTimeout(prefix, worker))
			.liveness(liveness(prefix, worker, readiness))
			.build();
		checkExecutable(prefix, spec);
		return spec;
	}

	private static void checkPort(String prefix, Worker worker) {
		int port = worker.getPort();
		if (port < 0 || port > 65535) {
			throw invalid(prefix + "port", port,
					"Ports are between 1 and 65535. Choose one in that range, or 0 to pick free ports.");
		}
		int last = port + worker.getReplicas() - 1;
		if (port > 0 && last > 65535) {
			throw invalid(prefix + "port", port,
					"Replica i gets port + i, so " + worker.getReplicas() + " replicas need ports " + port + " to "
							+ last + ", beyond 65535. Choose a port of at most " + (65536 - worker.getReplicas())
							+ ", fewer replicas, or 0 to pick free ports.");
		}
	}

	/**
	 * Fail if two workers, or a worker and the application's web server, would listen on
	 * the same fixed port.
	 */
	private static void checkPorts(List<WorkerSpec> specs, @Nullable Integer serverPort) {
		for (int i = 0; i < specs.size(); i++) {
			WorkerSpec spec = specs.get(i);
			if (spec.port() <= 0) {
				continue;
			}
			String property = "supervisor.workers." + spec.name() + ".port";
			int last = spec.port() + spec.replicas() - 1;
			if (serverPort != null && serverPort >= spec.port() && serverPort <= last) {
				throw invalid(property, spec.port(),
						"Worker '" + spec.name() + "' would listen on ports " + spec.port() + " to " + last
								+ ", which include the application's own port " + serverPort
								+ " (server.port). Choose other ports, or 0 to pick free ones.");
			}
			for (int j = 0; j < i; j++) {
				WorkerSpec other = specs.get(j);
				int otherLast = other.port() + other.replicas() - 1;
				if (other.port() > 0 && other.port() <= last && spec.port() <= otherLast) {
					throw invalid(property, spec.port(),
							"Worker '" + spec.name() + "' would listen on ports " + spec.port() + " to " + last
									+ ", which overlap the ports " + other.port() + " to " + otherLast + " of worker '"
									+ other.name() + "' (supervisor.workers." + other.name()
									+ ".port). Give each worker ports of its own, or 0 to pick free ones.");
				}
			}
		}
	}

	private static @Nullable Path workingDirectory(String prefix, Worker worker) {
		String directory = worker.getWorkingDirectory();
		if (!StringUtils.hasText(directory)) {
			return null;
		}
		Path path = Path.of(directory).toAbsolutePath().normalize();
		if (Files.exists(path) && !Files.isDirectory(path)) {
			throw invalid(prefix + "working-directory", directory,
					path + " is a file, not a directory. Point the property at a directory.");
		}
		if (!Files.isDirectory(path)) {
			throw invalid(prefix + "working-directory", directory,
					"The directory " + path + " does not exist. Create it or point the property at one that does.");
		}
		if (!Files.isExecutable(path)) {
			throw invalid(prefix + "working-directory", directory, "The directory " + path
					+ " cannot be entered (no search permission). Change its permissions or choose another.");
		}
		return path;
	}

	private static List<String> command(String prefix, String name, Worker worker, @Nullable ClassLoader classLoader) {
		String mainClass = worker.getJava().getMainClass();
		boolean hasCommand = !worker.getCommand().isEmpty();
		if (StringUtils.hasText(mainClass)) {
			if (hasCommand) {
				throw invalid(prefix + "command", worker.getCommand(),
						"Worker '" + name + "' sets both a command and java.main-class. Keep one of them.");
			}
			if (!ClassUtils.isPresent(mainClass, classLoader)) {
				throw invalid(prefix + "java.main-class", mainClass, "Class '" + mainClass
						+ "' was not found on the application's class path. Check the class name.");
			}
			return JavaCommand.of(mainClass, worker.getJava().getJvmArgs(), worker.getJava().getArgs());
		}
		if (!hasCommand || !StringUtils.hasText(worker.getCommand().get(0))) {
			throw invalid(prefix + "command", worker.getCommand(), "Worker '" + name
					+ "' has no command. Set command (a list: program, then arguments) or java.main-class.");
		}
		return worker.getCommand();
	}

	private static void checkExecutable(String prefix, WorkerSpec spec) {
		ReplicaContext first = new ReplicaContext(spec.name(), 0, 0);
		String program = first.resolve(spec.command().get(0));
		String path = spec.environment().get("PATH");
		try {
			CommandLocator.locate(program, spec.workingDirectory(), path);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(prefix + "command", spec.command().get(0),
					"The " + ex.getMessage() + ". Install it," + " fix the name, or give its full path.");
		}
	}

	/**
	 * Fail on a placeholder that is not a replica placeholder, naming the property it is
	 * in: the command or the Java arguments, an environment value (the readiness URL is
	 * checked with the readiness).
	 */
	private static void checkPlaceholders(String prefix, Worker worker) {
		if (StringUtils.hasText(worker.getJava().getMainClass())) {
			checkPlaceholders(prefix + "java.jvm-args", worker.getJava().getJvmArgs());
			checkPlaceholders(prefix + "java.args", worker.getJava().getArgs());
		}
		else {
			checkPlaceholders(prefix + "command", worker.getCommand());
		}
		worker.getEnvironment().forEach((key, value) -> checkPlaceholder(prefix + "environment." + key, value));
	}

	private static void checkPlaceholders(String property, List<String> texts) {
		texts.forEach((text) -> checkPlaceholder(property, text));
	}

	private static void checkPlaceholder(String property, String text) {
		String unknown = ReplicaContext.unknownPlaceholder(text);
		if (unknown == null) {
			return;
		}
		List<String> placeholders = List.of(ReplicaContext.INDEX, ReplicaContext.PORT, ReplicaContext.NAME);
		String meant = ClosestName.closest(unknown, placeholders, (placeholder) -> placeholder);
		throw invalid(property, text,
				"Unknown placeholder " + unknown + "." + ((meant != null) ? " Did you mean " + meant + "?" : "")
						+ " The placeholders are " + ReplicaContext.INDEX + ", " + ReplicaContext.PORT + " and "
						+ ReplicaContext.NAME + ".");
	}

	/**
	 * Fail on what the operating system cannot take in an environment or a command: a
	 * variable without a name, a name with '=', a NUL character anywhere.
	 */
	private static void checkEnvironment(String prefix, Worker worker) {
		worker.getEnvironment().forEach((key, value) -> {
			if (key.isBlank()) {
				throw invalid(prefix + "environment", worker.getEnvironment(),
						"An environment variable needs a name. Remove the entry without one.");
			}
			if (key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
				throw invalid(prefix + "environment[" + key.replace("\0", "\\0") + "]", value,
						"An environment variable's name cannot contain '=' or a NUL character. Rename it.");
			}
			if (value.indexOf('\0') >= 0) {
				throw invalid(prefix + "environment." + key, value.replace("\0", "\\0"),
						"An environment variable's value cannot contain a NUL character. Remove it.");
			}
		});
		List<String> arguments = new ArrayList<>(worker.getCommand());
		arguments.addAll(worker.getJava().getJvmArgs());
		arguments.addAll(worker.getJava().getArgs());
		for (String argument : arguments) {
			if (argument.indexOf('\0') >= 0) {
				String property = worker.getCommand().contains(argument) ? "command"
						: worker.getJava().getArgs().contains(argument) ? "java.args" : "java.jvm-args";
				throw invalid(prefix + property, argument.replace("\0", "\\0"),
						"A command-line argument cannot contain a NUL character. Remove it.");
			}
		}
	}

	private static Readiness readiness(String prefix, Worker worker) {
		SupervisorProperties.Readiness readiness = worker.getReadiness();
		String property = prefix + "readiness.";
		return switch (readiness.getType()) {
			case NONE -> {
				positive(property + "min-uptime", readiness.getMinUptime());
				if (readiness.getMinUptime().compareTo(worker.getStartupTimeout()) >= 0) {
					throw invalid(property + "min-uptime", readiness.getMinUptime(),
							"The minimum uptime must be" + " shorter than the startup timeout ("
									+ worker.getStartupTimeout() + "). Lower it or raise " + prefix
									+ "startup-timeout.");
				}
				yield new Readiness.Uptime(readiness.getMinUptime());
			}
			case LOG -> {
				if (!StringUtils.hasText(readiness.getPattern())) {
					throw invalid(property + "pattern", readiness.getPattern(), "A log readiness check needs a"
							+ " regular expression to look for. Set " + property + "pattern.");
				}
				try {
					yield new Readiness.LogLine(Pattern.compile(readiness.getPattern()));
				}
				catch (PatternSyntaxException ex) {
					throw invalid(property + "pattern", readiness.getPattern(),
							"Not a valid regular expression: " + ex.getDescription() + ".");
				}
			}
			case TCP -> {
				probeTiming(property, readiness);
				if (readiness.getPort() < 0 || readiness.getPort() > 65535) {
					throw invalid(property + "port", readiness.getPort(),
							"Ports are between 1 and 65535; 0 probes the replica's own port.");
				}
				yield new Readiness.Tcp(readiness.getHost(), readiness.getPort(), readiness.getInterval(),
						readiness.getTimeout());
			}
			case HTTP -> {
				probeTiming(property, readiness);
				String url = readiness.getUrl();
				if (!StringUtils.hasText(url)) {
					throw invalid(property + "url", url,
							"An http readiness check needs a URL. Set " + property + "url.");
				}
				checkPlaceholder(property + "url", url);
				try {
					URI uri = URI.create(new ReplicaContext("worker", 0, 1).resolve(url));
					if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
						throw new IllegalArgumentException("not an http or https URL");
					}
					if (uri.getHost() == null) {
						throw new IllegalArgumentException(
								"it names no host, as in http://127.0.0.1:" + ReplicaContext.PORT + "/health");
					}
				}
				catch (IllegalArgumentException ex) {
					throw invalid(property + "url", url, "Not a valid http URL: " + ex.getMessage() + ".");
				}
				yield new Readiness.Http(url, readiness.getInterval(), readiness.getTimeout());
			}
			case NOTIFY -> new Readiness.Notify();
		};
	}

	private static @Nullable Duration heartbeatTimeout(String prefix, Worker worker) {
		Duration timeout = worker.getHeartbeatTimeout();
		if (timeout != null) {
			positive(prefix + "heartbeat-timeout", timeout);
		}
		return timeout;
	}

	private static @Nullable Liveness liveness(String prefix, Worker worker, Readiness readiness) {
		SupervisorProperties.Liveness liveness = worker.getLiveness();
		if (!liveness.isEnabled()) {
			return null;
		}
		if (!(readiness instanceof Readiness.Tcp) && !(readiness instanceof Readiness.Http)) {
			throw invalid(prefix + "liveness.enabled", true,
					"A liveness check repeats the tcp or http readiness" + " check. Set " + prefix
							+ "readiness.type to tcp or http, or use heartbeat-timeout with" + " notify readiness.");
		}
		positive(prefix + "liveness.period", liveness.getPeriod());
		positive(prefix + "liveness.timeout", liveness.getTimeout());
		if (liveness.getFailureThreshold() < 1) {
			throw invalid(prefix + "liveness.failure-threshold", liveness.getFailureThreshold(), "Must be at least 1.");
		}
		return new Liveness(liveness.getPeriod(), liveness.getFailureThreshold(), liveness.getTimeout());
	}

	private static void probeTiming(String property, SupervisorProperties.Readiness readiness) {
		positive(property + "interval", readiness.getInterval());
		positive(property + "timeout", readiness.getTimeout());
	}

	private static Backoff backoff(String prefix, Worker worker) {
		SupervisorProperties.Backoff backoff = worker.getBackoff();
		positive(prefix + "backoff.initial", backoff.getInitial());
		positive(prefix + "backoff.max", backoff.getMax());
		if (backoff.getMax().compareTo(backoff.getInitial()) < 0) {
			throw invalid(prefix + "backoff.max", backoff.getMax(),
					"The longest delay must not be shorter than backoff.initial (" + backoff.getInitial() + ").");
		}
		if (backoff.getMultiplier() < 1) {
			throw invalid(prefix + "backoff.multiplier", backoff.getMultiplier(),
					"The multiplier must be at least 1 (1 keeps the delay constant).");
		}
		if (backoff.getJitter() < 0 || backoff.getJitter() > 1) {
			throw invalid(prefix + "backoff.jitter", backoff.getJitter(), "The jitter is a fraction from 0 to 1.");
		}
		return new Backoff(backoff.getInitial(), backoff.getMax(), backoff.getMultiplier(), backoff.getJitter());
	}

	private static CrashLoopLimit crashLoop(String prefix, Worker worker) {
		SupervisorProperties.CrashLoop crashLoop = worker.getCrashLoop();
		if (crashLoop.getMaxRestarts() < 0) {
			throw invalid(prefix + "crash-loop.max-restarts", crashLoop.getMaxRestarts(),
					"Must not be negative; 0 gives up at the first failure.");
		}
		positive(prefix + "crash-loop.window", crashLoop.getWindow());
		return new CrashLoopLimit(crashLoop.getMaxRestarts(), crashLoop.getWindow());
	}

	private static OutputSpec output(String prefix, Worker worker, Readiness readiness) {
		SupervisorProperties.Output output = worker.getOutput();
		long maxLineLength = output.getMaxLineLength().toBytes();
		if (maxLineLength < 1 || maxLineLength > 1024 * 1024) {
			throw invalid(prefix + "output.max-line-length", output.getMaxLineLength(), "Must be between 1B and 1MB.");
		}
		if (output.getTailLines() < 0) {
			throw invalid(prefix + "output.tail-lines", output.getTailLines(), "Must not be negative.");
		}
		if (readiness instanceof Readiness.LogLine && output.getMode() != OutputSpec.Mode.LOG) {
			throw invalid(prefix + "output.mode", output.getMode(), "A log readiness check reads the replica's"
					+ " output, which needs output.mode log. Change the mode or the readiness type.");
		}
		return new OutputSpec(output.getMode(), output.isSeparateStderr(), (int) maxLineLength, output.getTailLines(),
				output.getOverflow());
	}

	private static void positive(String name, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw invalid(name, duration, "Must be a positive duration, such as 500ms or 30s.");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, @Nullable Object value,
			String reason) {
		Object shown = (value instanceof Map<?, ?> || value instanceof List<?>) ? String.valueOf(value) : value;
		return new InvalidConfigurationPropertyValueException(name, shown, reason);
	}

}
