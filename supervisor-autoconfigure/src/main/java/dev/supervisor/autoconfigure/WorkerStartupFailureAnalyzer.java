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

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import dev.supervisor.process.CommandLineMasker;
import dev.supervisor.process.CrashLoopLimit;
import dev.supervisor.process.ExitRecord;
import dev.supervisor.process.ExitStatus;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.StartupFailure;
import dev.supervisor.process.WorkerStartupException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a worker that failed to start while the application started: which worker and
 * replica, how it ended, what it ran and the last lines it printed.
 *
 * @author the supervisor authors
 */
class WorkerStartupFailureAnalyzer extends AbstractFailureAnalyzer<WorkerStartupException> {

	private static final int LONGEST_ARGUMENT = 160;

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WorkerStartupException cause) {
		StartupFailure failure = cause.getFailure();
		StringBuilder description = new StringBuilder(failure.describe()).append('.');
		description.append(String.format("%n%nCommand: %s", display(failure.command())));
		if (failure.pid() != null) {
			description.append(String.format("%nProcess id: %d", failure.pid()));
		}
		ReplicaSnapshot.ReadinessCheck readiness = failure.readiness();
		if (readiness != null && failure.kind() != StartupFailure.Kind.TIMED_OUT) {
			// A timeout's sentence says it already
			description.append(String.format("%nLast readiness check: %s", readiness.describe()));
		}
		StartupFailure.CrashLoop crashLoop = failure.crashLoop();
		if (crashLoop != null) {
			CrashLoopLimit limit = crashLoop.limit();
			description.append(String.format("%n%nHow its processes ended (at most %d restarts within %ds):",
					limit.maxRestarts(), limit.window().toSeconds()));
			for (ExitRecord exit : crashLoop.exits()) {
				description.append(String.format("%n    %s pid %d: %s (%s)", exit.at().truncatedTo(ChronoUnit.MILLIS),
						exit.pid(), exit.status(), exit.cause().tag()));
			}
		}
		if (failure.lastLines().isEmpty()) {
			description.append(String.format("%n%nIt printed nothing."));
		}
		else {
			description.append(String.format("%n%nLast lines it printed:%n"));
			failure.lastLines().forEach((line) -> description.append(String.format("    %s%n", line)));
		}
		return new FailureAnalysis(description.toString().stripTrailing(), action(failure), cause);
	}

	private String action(StartupFailure failure) {
		String prefix = "supervisor.workers." + failure.worker();
		String hint = switch (failure.kind()) {
			case NOT_STARTED -> "Check " + prefix + ".command and " + prefix + ".working-directory.";
			case TIMED_OUT ->
				readinessHint(failure.readiness(), prefix) + "Check that the worker becomes ready the way " + prefix
						+ ".readiness says, or raise " + prefix + ".startup-timeout.";
			case EXITED -> exitHint(failure.status()) + "Check " + prefix
					+ ".command, its environment and working directory, and the output above.";
			case GAVE_UP -> "It was ready, then kept failing. Check " + prefix
					+ ".command, its environment and working directory, and the output above. To allow more "
					+ "restarts, raise " + prefix + ".crash-loop.max-restarts or shorten " + prefix
					+ ".crash-loop.window; to let the application run without it, set " + prefix
					+ ".on-give-up=keep-running.";
		};
		if (failure.kind() == StartupFailure.Kind.GAVE_UP) {
			return hint + String.format("%nA worker group that gives up while the application starts fails the start;"
					+ " the application exits with code 4.");
		}
		return hint + String.format("%nA worker that fails while the application starts is not restarted;"
				+ " the application exits with code 3.");
	}

	private String readinessHint(ReplicaSnapshot.@Nullable ReadinessCheck readiness, String prefix) {
		if (readiness == null) {
			return "";
		}
		String result = readiness.lastResult();
		if (result.startsWith("connection refused")) {
			return "Nothing accepted a connection: check that the worker listens where the check connects (a "
					+ "replica's port is given to it as SUPERVISOR_PORT and ${supervisor.replica.port}). ";
		}
		if (result.startsWith("HTTP ")) {
			return "It answered, but not with a 2xx status: check " + prefix + ".readiness.url. ";
		}
		if (result.startsWith("timed out")) {
			return "It did not answer in time: check the address, or raise " + prefix + ".readiness.timeout. ";
		}
		return "";
	}

	private String exitHint(ExitStatus status) {
		if (status == null) {
			return "";
		}
		return switch (status.code()) {
			case 126 -> "Exit code 126 usually means a program it runs is not executable. ";
			case 127 -> "Exit code 127 usually means a program it runs was not found. ";
			default -> "";
		};
	}

	/**
	 * Return a command as one line, with secrets masked as everywhere a command is shown.
	 */
	static String display(List<String> command) {
		return CommandLineMasker.mask(command)
			.stream()
			.map(WorkerStartupFailureAnalyzer::quote)
			.collect(Collectors.joining(" "));
	}

	private static String quote(String argument) {
		String shown = (argument.length() > LONGEST_ARGUMENT)
				? argument.substring(0, LONGEST_ARGUMENT) + "...(" + argument.length() + " characters)" : argument;
		return (shown.isEmpty() || shown.chars().anyMatch(Character::isWhitespace))
				? "'" + shown.replace("'", "'\\''") + "'" : shown;
	}

}
