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

package dev.supervisor.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.supervisor.autoconfigure.SupervisorProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks the configuration reference, the table in {@code docs/configuration.md}, against
 * the configuration metadata that the build generates from the Javadoc of the properties
 * classes and from {@code META-INF/additional-spring-configuration-metadata.json} (the
 * per-worker properties): every property is in the table, every row is a property, and
 * defaults and descriptions are the metadata's. So the Javadoc, the IDE's description and
 * the documentation say the same thing.
 * <p>
 * Run with {@code -Ddocs.update=true} to rewrite the table from the metadata instead:
 * rows are made from the metadata, and a default the metadata does not know (such as "the
 * application's") is kept from the table.
 *
 * @author the supervisor authors
 */
class ConfigurationReferenceTests {

	static final String START = "<!-- configuration-properties:start -->";

	static final String END = "<!-- configuration-properties:end -->";

	static final String UPDATE = "docs.update";

	static final String REGENERATE = "./mvnw -q -pl supervisor-autoconfigure -am test"
			+ " -Dtest=ConfigurationReferenceTests -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true";

	private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|(.*?)\\|(.*)\\|\\s*$");

	@Test
	void tableHoldsEveryPropertyWithTheMetadatasDefaultAndDescription() throws IOException {
		Path page = Markdown.root().resolve("docs/configuration.md");
		String text = Files.readString(page);
		Map<String, Property> metadata = metadata();
		Map<String, Row> table = rows(table(text));
		String expected = render(metadata, table);
		if (Boolean.getBoolean(UPDATE)) {
			Files.writeString(page, text.substring(0, text.indexOf(START) + START.length()) + expected
					+ text.substring(text.indexOf(END)));
			return;
		}
		List<String> problems = new ArrayList<>();
		metadata.keySet()
			.stream()
			.filter((name) -> !table.containsKey(name))
			.forEach((name) -> problems.add(name + " is in the configuration metadata but not in the table"));
		table.keySet()
			.stream()
			.filter((name) -> !metadata.containsKey(name))
			.forEach((name) -> problems
				.add(name + " is in the table but the configuration metadata has no such property"));
		table.forEach((name, row) -> {
			Property property = metadata.get(name);
			if (property == null) {
				return;
			}
			if (property.defaultValue() != null
					&& !normalize(property.defaultValue()).equals(normalize(unquote(row.defaultValue())))) {
				problems.add(name + " has the default '" + unquote(row.defaultValue())
						+ "' in the table but the configuration metadata says '" + property.defaultValue() + "'");
			}
			if (!property.description().equals(row.description())) {
				problems.add(name + " is described in the table as \"" + row.description()
						+ "\" but in the configuration metadata as \"" + property.description() + "\"");
			}
		});
		if (!problems.isEmpty()) {
			fail("docs/configuration.md does not match the configuration metadata:%n    %s%n%nDescribe a property in "
					+ "the Javadoc of its field (for supervisor.workers.*, in META-INF/additional-spring-configuration-"
					+ "metadata.json), then rewrite the table from the metadata with%n    %s%n%nThe table it writes:%n%s",
					String.join(System.lineSeparator() + "    ", problems), REGENERATE, expected);
		}
	}

	@Test
	void tableIsDelimitedOnceOnThePage() throws IOException {
		String text = Files.readString(Markdown.root().resolve("docs/configuration.md"));
		assertThat(text.split(Pattern.quote(START), -1)).as("'%s' in docs/configuration.md", START).hasSize(2);
		assertThat(text.split(Pattern.quote(END), -1)).as("'%s' in docs/configuration.md", END).hasSize(2);
		assertThat(text).as("the page says how to rewrite the table").contains(REGENERATE);
	}

	/**
	 * Return the properties the build describes, by name: those the annotation processor
	 * generated (it copies the additional metadata in), then those of the additional
	 * metadata, in the order of that file and as it is now, should the generated file be
	 * older.
	 */
	private static Map<String, Property> metadata() throws IOException {
		Path classes = classes();
		Path generated = classes.resolve("META-INF/spring-configuration-metadata.json");
		assertThat(generated)
			.as("The configuration metadata generated by spring-boot-configuration-processor; is the "
					+ "processor listed in the compiler plugin's annotationProcessorPaths?")
			.isRegularFile();
		Map<String, Property> additional = read(
				classes.resolve("META-INF/additional-spring-configuration-metadata.json"));
		Map<String, Property> properties = new LinkedHashMap<>(read(generated));
		properties.keySet().removeAll(additional.keySet());
		properties.putAll(additional);
		return properties;
	}

	private static Map<String, Property> read(Path file) throws IOException {
		Map<String, Property> properties = new LinkedHashMap<>();
		if (!Files.isRegularFile(file)) {
			return properties;
		}
		try (InputStream input = Files.newInputStream(file)) {
			List<Map<String, Object>> described = JsonPath.parse(input).read("$.properties");
			for (Map<String, Object> property : described) {
				String name = property.get("name").toString();
				Object defaultValue = property.get("defaultValue");
				properties.put(name, new Property(name, Objects.toString(property.get("description"), ""),
						(defaultValue != null) ? defaultValue.toString() : null));
			}
		}
		return properties;
	}

	/**
	 * Return the directory the main classes and resources were built into.
	 */
	private static Path classes() {
		try {
			return Path.of(SupervisorProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String table(String page) {
		int start = page.indexOf(START);
		int end = page.indexOf(END);
		assertThat(start).as("'%s' in docs/configuration.md", START).isNotNegative();
		assertThat(end).as("'%s' after '%s' in docs/configuration.md", END, START).isGreaterThan(start);
		return page.substring(start + START.length(), end);
	}

	private static Map<String, Row> rows(String table) {
		Map<String, Row> rows = new LinkedHashMap<>();
		for (String line : table.split("\n")) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				rows.put(row.group(1), new Row(row.group(2).strip(), unescape(row.group(3).strip())));
			}
		}
		return rows;
	}

	/**
	 * Render the table: the properties of the supervisor, then those of each worker, then
	 * those of the actuator endpoint, each in the order of {@link #metadata()}.
	 */
	private static String render(Map<String, Property> metadata, Map<String, Row> table) {
		StringBuilder text = new StringBuilder("\n| Property | Default | Description |\n|---|---|---|\n");
		metadata.values()
			.stream()
			.sorted(Comparator.comparing(ConfigurationReferenceTests::section))
			.forEach((property) -> {
				Row row = table.get(property.name());
				String defaultValue = (property.defaultValue() != null) ? "`" + display(property.defaultValue()) + "`"
						: (row != null) ? row.defaultValue() : "";
				text.append("| `")
					.append(property.name())
					.append("` |")
					.append(defaultValue.isEmpty() ? "" : " " + defaultValue)
					.append(" | ")
					.append(property.description().replace("|", "\\|"))
					.append(" |\n");
			});
		return text.toString();
	}

	private static int section(Property property) {
		if (property.name().startsWith("management.")) {
			return 2;
		}
		return property.name().startsWith("supervisor.workers") ? 1 : 0;
	}

	/**
	 * Show a default as it is written in {@code application.properties}: an enum constant
	 * such as {@code read_only} as {@code read-only}.
	 */
	private static String display(String defaultValue) {
		return defaultValue.replace('_', '-');
	}

	private static String normalize(String defaultValue) {
		return display(defaultValue).toLowerCase(Locale.ROOT);
	}

	private static String unquote(String cell) {
		return cell.replace("`", "").strip();
	}

	private static String unescape(String cell) {
		return cell.replace("\\|", "|");
	}

	/**
	 * A property as the configuration metadata describes it.
	 */
	private record Property(String name, String description, @Nullable String defaultValue) {

	}

	/**
	 * A row of the table.
	 */
	private record Row(String defaultValue, String description) {

	}

}
