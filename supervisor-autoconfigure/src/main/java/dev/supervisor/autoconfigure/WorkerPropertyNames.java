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

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.supervisor.autoconfigure.UnknownWorkerPropertyException.UnknownProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds properties under {@code supervisor.workers.<name>} that no worker property
 * matches, such as {@code replica} for {@code replicas} or {@code readiness.tyep}: Spring
 * Boot ignores them, so the worker would run with defaults. The valid names are those of
 * {@link SupervisorProperties.Worker} and its nested types, found by bean introspection;
 * names are compared the way Spring Boot binds them (relaxed: {@code startupTimeout},
 * {@code startup_timeout} and {@code STARTUPTIMEOUT} are {@code startup-timeout}).
 * Anything under a map ({@code environment.*}) and any list index ({@code command[0]}) is
 * valid.
 *
 * @author the supervisor authors
 */
final class WorkerPropertyNames {

	static final String PREFIX = "supervisor.workers";

	private static final ConfigurationPropertyName WORKERS = ConfigurationPropertyName.of(PREFIX);

	/** The elements of a worker's property names: supervisor, workers, the name. */
	private static final int WORKER_ELEMENTS = 3;

	private static final Node WORKER = Node.of(SupervisorProperties.Worker.class);

	private WorkerPropertyNames() {
	}

	/**
	 * Fail if a property under {@code supervisor.workers.<name>} is not a worker
	 * property.
	 * @param environment the environment
	 * @throws UnknownWorkerPropertyException naming every such property and what was
	 * probably meant
	 */
	static void check(Environment environment) {
		Map<String, UnknownProperty> unknown = new TreeMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			// In a variable '_' stands for '.', '-' or nothing: elements may need joining
			boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
			iterable.filter(WORKERS::isAncestorOf).forEach((name) -> {
				UnknownProperty found = (name.getNumberOfElements() > WORKER_ELEMENTS) ? check(name, variables, source)
						: null;
				if (found != null) {
					unknown.putIfAbsent(found.name(), found);
				}
			});
		}
		if (!unknown.isEmpty()) {
			throw new UnknownWorkerPropertyException(List.copyOf(unknown.values()));
		}
	}

	private static @Nullable UnknownProperty check(ConfigurationPropertyName name, boolean variables,
			ConfigurationPropertySource source) {
		Mismatch mismatch = WORKER.match(name, WORKER_ELEMENTS, variables);
		if (mismatch == null) {
			return null;
		}
		ConfigurationProperty property = source.getConfigurationProperty(name);
		String origin = (property != null && property.getOrigin() != null) ? property.getOrigin().toString() : null;
		String known = name.chop(mismatch.index()).toString();
		String suggestion = mismatch.suggestion();
		return new UnknownProperty(name.toString(), name.subName(WORKER_ELEMENTS).toString(), origin,
				name.getElement(WORKER_ELEMENTS - 1, Form.ORIGINAL),
				(suggestion != null) ? known + "." + suggestion : null, known, mismatch.node().names(),
				variables ? variable(known, suggestion) : null);
	}

	private static @Nullable String variable(String known, @Nullable String suggestion) {
		if (suggestion == null) {
			return null;
		}
		return (known + "." + suggestion).replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	/**
	 * Where a name stops matching: the index of the first element that matches nothing,
	 * in which type, and the closest valid name from there, if one is close.
	 */
	private record Mismatch(int index, Node node, @Nullable String suggestion) {
	}

	/**
	 * What may follow a name: the properties of a type, anything (a map), an index (a
	 * list) or nothing (a value).
	 */
	private static final class Node {

		private final Kind kind;

		/** The properties by their uniform name, each with its dashed name. */
		private final Map<String, Map.Entry<String, Node>> properties = new LinkedHashMap<>();

		private Node(Kind kind) {
			this.kind = kind;
		}

		static Node of(Class<?> type) {
			Node node = new Node(Kind.PROPERTIES);
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
					continue;
				}
				String dashed = dashed(descriptor.getName());
				node.properties.put(uniform(dashed), Map.entry(dashed, child(descriptor.getPropertyType())));
			}
			return node;
		}

		private static Node child(Class<?> type) {
			if (Map.class.isAssignableFrom(type)) {
				return new Node(Kind.ANYTHING);
			}
			if (Collection.class.isAssignableFrom(type) || type.isArray()) {
				return new Node(Kind.INDEX);
			}
			if (type.getEnclosingClass() == SupervisorProperties.class && !type.isEnum()) {
				return of(type);
			}
			return new Node(Kind.VALUE);
		}

		List<String> names() {
			return this.properties.values().stream().map(Map.Entry::getKey).toList();
		}

		/**
		 * Match the elements of a name from an index on.
		 * @return where it stops matching, or {@code null} if it matches
		 */
		@Nullable Mismatch match(ConfigurationPropertyName name, int from, boolean variables) {
			int size = name.getNumberOfElements();
			if (from == size) {
				return null;
			}
			return switch (this.kind) {
				case ANYTHING -> null;
				case INDEX -> name.isNumericIndex(from) ? null : new Mismatch(from, this, null);
				case VALUE -> new Mismatch(from, this, null);
				case PROPERTIES -> matchProperty(name, from, variables);
			};
		}

		private @Nullable Mismatch matchProperty(ConfigurationPropertyName name, int from, boolean variables) {
			Mismatch deepest = null;
			StringBuilder joined = new StringBuilder();
			int last = variables ? name.getNumberOfElements() : from + 1;
			for (int to = from; to < last; to++) {
				joined.append(uniform(name.getElement(to, Form.UNIFORM)));
				Map.Entry<String, Node> property = this.properties.get(joined.toString());
				if (property != null) {
					Mismatch mismatch = property.getValue().match(name, to + 1, variables);
					if (mismatch == null) {
						return null;
					}
					deepest = (deepest == null || mismatch.index() > deepest.index()) ? mismatch : deepest;
				}
			}
			if (deepest != null) {
				return deepest;
			}
			String closest = closest(uniform(name.getElement(from, Form.UNIFORM)));
			if (closest != null && from + 1 < name.getNumberOfElements()
					&& find(closest).match(name, from + 1, variables) == null) {
				// readyness.type: readiness.type
				closest = closest + "." + name.subName(from + 1);
			}
			return new Mismatch(from, this, closest);
		}

		private Node find(String dashedPath) {
			Node node = this;
			for (String part : dashedPath.split("\\.")) {
				node = node.properties.get(uniform(part)).getValue();
			}
			return node;
		}

		/**
		 * Return the valid name closest to an unknown one: a property of this type a typo
		 * away (or that starts with it), or one of a nested type with exactly that name
		 * (a property put one level too high, such as {@code url} for
		 * {@code readiness.url}).
		 */
		private @Nullable String closest(String unknown) {
			Map.Entry<String, Map.Entry<String, Node>> typo = ClosestName.closest(unknown, this.properties.entrySet(),
					Map.Entry::getKey);
			if (typo != null) {
				return typo.getValue().getKey();
			}
			for (Map.Entry<String, Map.Entry<String, Node>> property : this.properties.entrySet()) {
				if (unknown.length() >= 4 && property.getKey().startsWith(unknown)) {
					return property.getValue().getKey();
				}
			}
			for (Map.Entry<String, Node> property : this.properties.values()) {
				Map.Entry<String, Node> nested = property.getValue().properties.get(unknown);
				if (nested != null) {
					return property.getKey() + "." + nested.getKey();
				}
			}
			return null;
		}

		private static String dashed(String camelCase) {
			return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
		}

		private static String uniform(String name) {
			return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
		}

		private enum Kind {

			PROPERTIES, ANYTHING, INDEX, VALUE

		}

	}

}
