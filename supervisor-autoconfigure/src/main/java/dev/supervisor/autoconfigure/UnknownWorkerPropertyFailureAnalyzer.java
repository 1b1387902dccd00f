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

import dev.supervisor.autoconfigure.UnknownWorkerPropertyException.UnknownProperty;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains properties under {@code supervisor.workers.<name>} that are not worker
 * properties, with the one probably meant.
 *
 * @author the supervisor authors
 */
class UnknownWorkerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownWorkerPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownWorkerPropertyException cause) {
		StringBuilder description = new StringBuilder(String.format("Worker properties that do not exist are set."
				+ " Spring Boot would ignore them and run the worker with defaults:%n"));
		StringBuilder action = new StringBuilder();
		for (UnknownProperty property : cause.getProperties()) {
			description.append(String.format("%n    Property: %s%n", property.name()));
			if (property.origin() != null) {
				description.append(String.format("    Origin: %s%n", property.origin()));
			}
			description.append(String.format("    Reason: worker '%s' has no property '%s'%n", property.worker(),
					property.property()));
			if (!action.isEmpty()) {
				action.append(String.format("%n"));
			}
			action.append(action(property));
		}
		action.append(String.format("%nNo worker was started."));
		return new FailureAnalysis(description.toString().stripTrailing(), action.toString(), cause);
	}

	private String action(UnknownProperty property) {
		if (property.suggestion() != null) {
			String variable = (property.variable() != null) ? " (environment variable " + property.variable() + ")"
					: "";
			return "Did you mean " + property.suggestion() + variable + " instead of " + property.name() + "?";
		}
		if (property.valid().isEmpty()) {
			return property.parent() + " takes a value and has no properties of its own. Remove " + property.name()
					+ ".";
		}
		return "Fix or remove " + property.name() + ". The properties of " + property.parent() + " are: "
				+ String.join(", ", property.valid()) + ".";
	}

}
