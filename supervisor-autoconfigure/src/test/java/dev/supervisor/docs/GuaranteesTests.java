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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code docs/guarantees.md}: every guarantee names the tests that prove it, and
 * every test named there, or anywhere else in the documentation, exists.
 *
 * @author the supervisor authors
 */
class GuaranteesTests {

	private static final Pattern TEST = Pattern.compile("`([A-Z]\\w*(?:Tests|IT))#(\\w+)`");

	@Test
	void everyGuaranteeNamesTheTestsThatProveIt() {
		Markdown guarantees = Markdown.read(Markdown.root().resolve("docs/guarantees.md"));
		List<String> rows = new ArrayList<>();
		boolean table = false;
		for (String line : guarantees.lines()) {
			if (line.startsWith("| Guarantee | Proven by |")) {
				table = true;
			}
			else if (!line.startsWith("|")) {
				table = false;
			}
			else if (table && !line.startsWith("|---")) {
				rows.add(line);
			}
		}
		assertThat(rows).as("guarantees in docs/guarantees.md").hasSizeGreaterThan(10);
		assertThat(rows).as("guarantees that name no test (`Class#method` in the column 'Proven by')")
			.allMatch((row) -> TEST.matcher(row.substring(row.lastIndexOf("| ", row.length() - 2))).find());
	}

	@Test
	void everyTestNamedInTheDocumentationExists() {
		Map<String, List<String>> sources = testSources();
		List<String> missing = new ArrayList<>();
		for (Markdown document : Markdown.all()) {
			for (int i = 0; i < document.lines().size(); i++) {
				Matcher test = TEST.matcher(document.lines().get(i));
				while (test.find()) {
					String type = test.group(1);
					Pattern method = Pattern.compile("\\bvoid\\s+" + Pattern.quote(test.group(2)) + "\\s*\\(");
					List<String> found = sources.getOrDefault(type, List.of());
					if (found.stream().noneMatch((source) -> method.matcher(source).find())) {
						missing.add(document.name() + ":" + (i + 1) + " names " + test.group()
								+ (found.isEmpty() ? ", but there is no test class " + type
										: ", but " + type + " has no such test method"));
					}
				}
			}
		}
		assertThat(missing)
			.as("Tests named in the documentation that do not exist (renamed or moved? " + "write the name it has now)")
			.isEmpty();
	}

	/**
	 * Return the test sources of every module, by the simple name of their class.
	 */
	private static Map<String, List<String>> testSources() {
		Map<String, List<String>> sources = new HashMap<>();
		try (Stream<Path> files = Files.walk(Markdown.root())) {
			for (Path file : files
				.filter((path) -> path.toString().endsWith(".java")
						&& path.toString().contains("/src/test/java/".replace('/', java.io.File.separatorChar)))
				.toList()) {
				String name = file.getFileName().toString();
				sources
					.computeIfAbsent(name.substring(0, name.length() - ".java".length()), (type) -> new ArrayList<>())
					.add(Files.readString(file));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return sources;
	}

}
