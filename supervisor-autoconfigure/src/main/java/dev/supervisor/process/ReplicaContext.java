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

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Who a replica is: its worker, its index and its port. Resolves the per-replica
 * placeholders in commands, environment values and probe URLs.
 *
 * @param worker the worker group's name
 * @param index the replica index, from 0
 * @param port the replica's port, or 0 if it has none
 * @author the supervisor authors
 */
public record ReplicaContext(String worker, int index, int port) {

	/** Placeholder for the replica index. */
	public static final String INDEX = "${supervisor.replica.index}";

	/** Placeholder for the replica's port. */
	public static final String PORT = "${supervisor.replica.port}";

	/** Placeholder for the worker group's name. */
	public static final String NAME = "${supervisor.worker.name}";

	private static final Pattern ANY = Pattern.compile("\\$\\{supervisor\\.[^}]*}");

	/**
	 * Return the first placeholder in the text that is not one of ours, if any.
	 * @param text the text
	 * @return the unknown placeholder or {@code null}
	 */
	public static @Nullable String unknownPlaceholder(String text) {
		Matcher matcher = ANY.matcher(text);
		while (matcher.find()) {
			String found = matcher.group();
			if (!found.equals(INDEX) && !found.equals(PORT) && !found.equals(NAME)) {
				return found;
			}
		}
		return null;
	}

	/**
	 * Return whether any of the texts uses the port placeholder.
	 * @param texts the texts
	 * @return {@code true} if a port is needed
	 */
	public static boolean usesPort(Iterable<String> texts) {
		for (String text : texts) {
			if (text.contains(PORT)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Replace the replica placeholders in a text.
	 * @param text the text
	 * @return the text with placeholders resolved
	 */
	public String resolve(String text) {
		if (!text.contains("${supervisor.")) {
			return text;
		}
		return text.replace(INDEX, Integer.toString(this.index))
			.replace(PORT, Integer.toString(this.port))
			.replace(NAME, this.worker);
	}

	/**
	 * Replace the replica placeholders in every element.
	 * @param texts the texts
	 * @return the resolved texts
	 */
	public List<String> resolve(List<String> texts) {
		return texts.stream().map(this::resolve).toList();
	}

	@Override
	public String toString() {
		return "'" + this.worker + "' replica " + this.index;
	}

}
