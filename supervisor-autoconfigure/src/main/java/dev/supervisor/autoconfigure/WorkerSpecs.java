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

	private WorkerSpecs() {
	}

	static List<WorkerSpec> from(SupervisorProperties properties, @Nullable ClassLoader classLoader) {
		positive("supervisor.shutdown.timeout", properties.getShutdown().getTimeout());
		positive("supervisor.orphan-guard.grace-period", properties.getOrphanGuard().getGracePeriod());
		List<WorkerSpec> specs = new ArrayList<>();
		properties.getWorkers().forEach((name, worker) -> specs.add(from(name, worker, classLoader)));
		return specs;
	}

	private static WorkerSpec from(String name, Worker worker, @Nullable ClassLoader classLoader) {
		String prefix = "supervisor.workers." + name + ".";
		if (!NAME.matcher(name).matches()) {
			throw invalid("supervisor.workers", name, "Worker names may contain only letters, digits, '.', '_' and '-'"
					+ " and must start with a letter or digit. Rename worker '" + name + "'.");
		}
		if (worker.getReplicas() < 1) {
			throw invalid(prefix + "replicas", worker.getReplicas(),
					"A worker needs at least one replica. Set it to 1 or more, or remove the worker.");
		}
		if (worker.getPort() < 0 || worker.getPort() + worker.getReplicas() - 1 > 65535) {
			throw invalid(prefix + "port", worker.getPort(), "Replica ports (port + index) must be between 1 and"
					+ " 65535. Choose a lower port, or 0 to pick free ports.");
		}
		Path workingDirectory = workingDirectory(prefix, worker);
		List<String> command = command(prefix, name, worker, classLoader);
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
		checkPlaceholders(prefix, spec);
		checkExecutable(prefix, spec);
		return spec;
	}

	private static @Nullable Path workingDirectory(String prefix, Worker worker) {
		String directory = worker.getWorkingDirectory();
		if (!StringUtils.hasText(directory)) {
			return null;
		}
		Path path = Path.of(directory).toAbsolutePath().normalize();
		if (!Files.isDirectory(path)) {
			throw invalid(prefix + "working-directory", directory,
					"The directory " + path + " does not exist. Create it or point the property at one that does.");
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

	private static void checkPlaceholders(String prefix, WorkerSpec spec) {
		List<String> texts = new ArrayList<>(spec.command());
		texts.addAll(spec.environment().values());
		if (spec.readiness() instanceof Readiness.Http http) {
			texts.add(http.url());
		}
		for (String text : texts) {
			String unknown = ReplicaContext.unknownPlaceholder(text);
			if (unknown != null) {
				throw invalid(prefix + "command", text, "Unknown placeholder " + unknown + ". Use "
						+ ReplicaContext.INDEX + ", " + ReplicaContext.PORT + " or " + ReplicaContext.NAME + ".");
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
				try {
					URI uri = URI.create(new ReplicaContext("worker", 0, 1).resolve(url));
					if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
						throw new IllegalArgumentException("not an http or https URL");
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
