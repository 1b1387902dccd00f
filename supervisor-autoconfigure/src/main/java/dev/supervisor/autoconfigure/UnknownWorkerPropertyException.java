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

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when properties under {@code supervisor.workers.<name>} match no worker
 * property: they would be ignored and the worker would run with defaults.
 *
 * @author the supervisor authors
 */
class UnknownWorkerPropertyException extends RuntimeException {

	private final List<UnknownProperty> properties;

	UnknownWorkerPropertyException(List<UnknownProperty> properties) {
		super("Unknown worker properties: "
				+ properties.stream().map(UnknownProperty::name).collect(Collectors.joining(", ")));
		this.properties = properties;
	}

	List<UnknownProperty> getProperties() {
		return this.properties;
	}

	/**
	 * A property that no worker property matches.
	 *
	 * @param name the property's name
	 * @param property the property's name under its worker
	 * @param origin where it was set, if known
	 * @param worker the worker it is under
	 * @param suggestion the valid property probably meant, if one is close
	 * @param parent the part of the name that is valid
	 * @param valid the properties valid under the parent
	 * @param variable the environment variable of the suggestion, for a property set by
	 * one
	 */
	record UnknownProperty(String name, String property, @Nullable String origin, String worker,
			@Nullable String suggestion, String parent, List<String> valid, @Nullable String variable) {
	}

}
