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
import java.util.List;

import dev.supervisor.autoconfigure.SupervisorProperties.BudgetCheck;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Checks at startup that the shutdown budgets fit together: Spring's per-phase shutdown
 * timeout, the supervisor's deadline, every worker's stop timeout and, when it is given,
 * the orchestrator's grace period. Each conflict is reported with its numbers, as a
 * warning or, with {@code supervisor.shutdown.budget-check=fail}, as a failed start.
 *
 * @author the supervisor authors
 */
final class ShutdownBudget {

	private static final Log logger = LogFactory.getLog(ShutdownBudget.class);

	static final String SPRING_PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

	/** Time the JVM needs after the deadline: kill, reap and exit. */
	static final Duration EXIT_MARGIN = Duration.ofSeconds(1);

	private ShutdownBudget() {
	}

	static void check(SupervisorProperties properties, Environment environment) {
		BudgetCheck mode = properties.getShutdown().getBudgetCheck();
		if (mode == BudgetCheck.OFF) {
			return;
		}
		List<Conflict> conflicts = conflicts(properties, environment);
		if (conflicts.isEmpty()) {
			return;
		}
		if (mode == BudgetCheck.FAIL) {
			Conflict first = conflicts.get(0);
			throw new InvalidConfigurationPropertyValueException(first.property(), first.value(),
					first.message() + " (supervisor.shutdown.budget-check=fail)");
		}
		conflicts.forEach((conflict) -> logger.warn(conflict.message()));
	}

	static List<Conflict> conflicts(SupervisorProperties properties, Environment environment) {
		Duration timeout = properties.getShutdown().getTimeout();
		List<Conflict> conflicts = new ArrayList<>();
		Duration phase = Binder.get(environment)
			.bind(SPRING_PHASE_TIMEOUT, Duration.class)
			.orElse(Duration.ofSeconds(30));
		if (phase.compareTo(timeout) < 0) {
			conflicts.add(new Conflict(SPRING_PHASE_TIMEOUT, phase,
					SPRING_PHASE_TIMEOUT + " (" + format(phase) + ") is shorter than supervisor.shutdown.timeout ("
							+ format(timeout)
							+ "): the web server and the workers drain together in one phase, which waits "
							+ format(timeout) + ", not " + format(phase) + ". Set " + SPRING_PHASE_TIMEOUT
							+ " to at least " + format(timeout) + ", or lower supervisor.shutdown.timeout."));
		}
		properties.getWorkers().forEach((name, worker) -> {
			Duration stop = worker.getStopTimeout();
			if (stop != null && stop.compareTo(timeout) > 0) {
				String property = "supervisor.workers." + name + ".stop-timeout";
				conflicts.add(new Conflict(property, stop,
						property + " (" + format(stop) + ") is longer than supervisor.shutdown.timeout ("
								+ format(timeout) + "): at shutdown worker '" + name + "' is killed after "
								+ format(timeout) + ". Lower the stop timeout or raise the shutdown timeout."));
			}
		});
		Duration drainDelay = properties.getShutdown().getDrainDelay();
		if (drainDelay.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("supervisor.shutdown.drain-delay", drainDelay,
					"Must not be negative.");
		}
		if (!drainDelay.isZero() && drainDelay.compareTo(timeout) >= 0) {
			conflicts
				.add(new Conflict("supervisor.shutdown.drain-delay", drainDelay, "supervisor.shutdown.drain-delay ("
						+ format(drainDelay) + ") leaves nothing of supervisor.shutdown.timeout (" + format(timeout)
						+ ") to drain requests and workers in: the delay is taken out of the timeout. Lower the delay or"
						+ " raise the timeout."));
		}
		Duration grace = properties.getShutdown().getGracePeriod();
		if (grace != null) {
			Duration needed = timeout.plus(EXIT_MARGIN);
			if (needed.compareTo(grace) > 0) {
				conflicts.add(new Conflict("supervisor.shutdown.grace-period", grace, "supervisor.shutdown.timeout ("
						+ format(timeout) + ") leaves no room below the grace period (" + format(grace)
						+ "): the application needs about " + format(EXIT_MARGIN)
						+ " after its deadline to kill, reap and exit, so it needs " + format(needed)
						+ " and would be killed by the orchestrator. Lower supervisor.shutdown.timeout to at most "
						+ format(grace.minus(EXIT_MARGIN)) + " or raise the grace period."));
			}
		}
		return conflicts;
	}

	static String format(Duration duration) {
		if (duration.toMillis() % 1000 != 0) {
			return duration.toMillis() + "ms";
		}
		return duration.toSeconds() + "s";
	}

	/**
	 * One budget that does not fit.
	 *
	 * @param property the property to change
	 * @param value its value
	 * @param message what is wrong and what to do
	 */
	record Conflict(String property, Object value, String message) {
	}

}
