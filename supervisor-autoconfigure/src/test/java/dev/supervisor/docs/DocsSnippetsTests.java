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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that every Java snippet of the README and of the pages under {@code docs/}
 * compiles: each {@code ```java} block must appear, line for line, in a source file of
 * this package (ignoring indentation, runs of spaces and blank lines), which the build
 * compiles. So a renamed or changed API breaks the build instead of the documentation.
 *
 * @author the supervisor authors
 */
class DocsSnippetsTests {

	private static final String PACKAGE = "src/test/java/dev/supervisor/docs";

	/**
	 * The sources of this package: relative to the module, where the build runs the
	 * tests, or found from the repository's root, where an IDE may run them.
	 */
	private static final Path SOURCES = Files.isDirectory(Path.of(PACKAGE)) ? Path.of(PACKAGE)
			: Markdown.root().resolve("supervisor-autoconfigure").resolve(PACKAGE);

	@Test
	void everyJavaSnippetIsPartOfACompiledSource() {
		Map<Path, List<String>> sources = sources();
		List<String> missing = new ArrayList<>();
		int snippets = 0;
		for (Markdown document : Markdown.all()) {
			for (Markdown.CodeBlock block : document.codeBlocks()) {
				if (!block.language().equals("java")) {
					continue;
				}
				snippets++;
				List<String> snippet = normalize(block.body());
				if (sources.values().stream().noneMatch((source) -> Collections.indexOfSubList(source, snippet) >= 0)) {
					missing.add(document.name() + ":" + block.line() + ", which begins '" + snippet.get(0) + "'"
							+ firstLineNotFound(snippet, sources));
				}
			}
		}
		assertThat(snippets).as("Java snippets in the documentation").isPositive();
		assertThat(missing)
			.as("Java snippets that are not in a source file of %s, so nothing proves they compile. "
					+ "Put each snippet, as it stands in the documentation, in a class of that package "
					+ "(or fix the snippet to match the code there)", SOURCES)
			.isEmpty();
	}

	@Test
	void snippetsAreComparedWithoutIndentationOrBlankLines() {
		assertThat(normalize(List.of("\tif (ready) {", "", "    start();   // now", "}")))
			.containsExactly("if (ready) {", "start(); // now", "}");
	}

	/**
	 * Say which line of a snippet is not found, after the lines before it were, in the
	 * source that has the longest start of it.
	 */
	private static String firstLineNotFound(List<String> snippet, Map<Path, List<String>> sources) {
		int longest = 0;
		for (List<String> source : sources.values()) {
			for (int length = snippet.size() - 1; length > longest; length--) {
				if (Collections.indexOfSubList(source, snippet.subList(0, length)) >= 0) {
					longest = length;
					break;
				}
			}
		}
		return (longest > 0)
				? " (no source goes on with '" + snippet.get(longest) + "' after its first " + longest + " line(s))"
				: " (no source has its first line)";
	}

	private static Map<Path, List<String>> sources() {
		Map<Path, List<String>> sources = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				sources.put(file, normalize(Files.readAllLines(file)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return sources;
	}

	private static List<String> normalize(List<String> lines) {
		return lines.stream()
			.map((line) -> line.strip().replaceAll("\\s+", " "))
			.filter((line) -> !line.isEmpty())
			.toList();
	}

}
