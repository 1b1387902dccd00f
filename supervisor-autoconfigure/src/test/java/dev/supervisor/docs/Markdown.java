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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's Markdown documents, the README and the pages under {@code docs/}, read
 * the way GitHub renders them: fenced code blocks, headings with their anchors, and
 * links.
 *
 * @author the supervisor authors
 */
final class Markdown {

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

	private final Path path;

	private final List<String> lines;

	private Markdown(Path path, List<String> lines) {
		this.path = path;
		this.lines = lines;
	}

	/**
	 * Return the root of the repository: the nearest directory above the working
	 * directory that holds the README and {@code docs/}.
	 * @return the repository's root
	 */
	static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("README.md")) && Files.isDirectory(directory.resolve("docs"))) {
				return directory;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No README.md beside a docs directory above " + Path.of("").toAbsolutePath());
	}

	/**
	 * Return the README and every page under {@code docs/}.
	 * @return the documents
	 */
	static List<Markdown> all() {
		Path root = root();
		List<Markdown> documents = new ArrayList<>();
		documents.add(read(root.resolve("README.md")));
		try (Stream<Path> pages = Files.list(root.resolve("docs"))) {
			pages.filter((page) -> page.toString().endsWith(".md"))
				.sorted()
				.map(Markdown::read)
				.forEach(documents::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return documents;
	}

	static Markdown read(Path path) {
		try {
			return new Markdown(path.toAbsolutePath().normalize(), Files.readAllLines(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path path() {
		return this.path;
	}

	/**
	 * Return the document's path relative to the repository, for messages.
	 * @return the path
	 */
	String name() {
		return root().relativize(this.path).toString();
	}

	List<String> lines() {
		return this.lines;
	}

	/**
	 * Return the fenced code blocks, in order.
	 * @return the blocks
	 */
	List<CodeBlock> codeBlocks() {
		List<CodeBlock> blocks = new ArrayList<>();
		String language = null;
		int start = 0;
		List<String> body = new ArrayList<>();
		for (int i = 0; i < this.lines.size(); i++) {
			String line = this.lines.get(i).strip();
			if (!line.startsWith("```")) {
				if (language != null) {
					body.add(this.lines.get(i));
				}
				continue;
			}
			if (language == null) {
				language = line.substring(3).strip().toLowerCase(Locale.ROOT);
				start = i + 1;
				body = new ArrayList<>();
			}
			else {
				blocks.add(new CodeBlock(language, start, List.copyOf(body)));
				language = null;
			}
		}
		return blocks;
	}

	/**
	 * Return the anchors GitHub gives the headings, in order.
	 * @return the anchors
	 */
	Set<String> anchors() {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : prose()) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String anchor = anchor(heading.group(2));
				int count = seen.merge(anchor, 1, Integer::sum);
				anchors.add((count == 1) ? anchor : anchor + "-" + (count - 1));
			}
		}
		return anchors;
	}

	/**
	 * Return the links outside code, with the line they are on.
	 * @return the links
	 */
	List<Link> links() {
		List<Link> links = new ArrayList<>();
		boolean fenced = false;
		for (int i = 0; i < this.lines.size(); i++) {
			String line = this.lines.get(i);
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			if (fenced) {
				continue;
			}
			Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll((span) -> codeSpanText(span.group())));
			while (link.find()) {
				links.add(new Link(i + 1, link.group(2)));
			}
		}
		return links;
	}

	/**
	 * Return the anchor GitHub gives a heading: its text as rendered, lower case, without
	 * punctuation, spaces as hyphens.
	 * @param heading the heading's Markdown
	 * @return the anchor
	 */
	static String anchor(String heading) {
		String text = LINK.matcher(heading).replaceAll("$1").replace("`", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
	}

	private List<String> prose() {
		List<String> prose = new ArrayList<>();
		boolean fenced = false;
		for (String line : this.lines) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
			}
			else if (!fenced) {
				prose.add(line);
			}
		}
		return prose;
	}

	/**
	 * Blank out the brackets and parentheses inside a code span, so that link syntax
	 * inside code is not taken for a link; a code span that is a link's text stays a
	 * link.
	 */
	private static String codeSpanText(String span) {
		return Matcher.quoteReplacement(span.replaceAll("[\\[\\]()]", " "));
	}

	/**
	 * A fenced code block.
	 *
	 * @param language the language after the opening fence, lower case, empty if none
	 * @param line the number of the block's first line in its document
	 * @param body the block's lines
	 */
	record CodeBlock(String language, int line, List<String> body) {

	}

	/**
	 * A link.
	 *
	 * @param line the number of the line it is on
	 * @param target where it points
	 */
	record Link(int line, String target) {

	}

}
