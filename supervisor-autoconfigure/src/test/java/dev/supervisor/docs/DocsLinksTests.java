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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that every link between the README and the pages under {@code docs/} leads
 * somewhere: to a file that exists and, where it names one, to a heading of that file.
 *
 * @author the supervisor authors
 */
class DocsLinksTests {

	@Test
	void everyRelativeLinkPointsToAnExistingFileAndHeading() {
		Map<Path, Set<String>> anchors = new HashMap<>();
		List<String> broken = new ArrayList<>();
		for (Markdown document : Markdown.all()) {
			for (Markdown.Link link : document.links()) {
				String target = link.target();
				if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
				Path resolved = file.isEmpty() ? document.path()
						: document.path().getParent().resolve(file).toAbsolutePath().normalize();
				String where = document.name() + ":" + link.line() + " links to " + target;
				if (!Files.exists(resolved)) {
					broken.add(where + ", but " + Markdown.root().relativize(resolved) + " does not exist");
				}
				else if (anchor != null && !anchors.computeIfAbsent(resolved, (path) -> Markdown.read(path).anchors())
					.contains(anchor)) {
					broken.add(where + ", but " + Markdown.root().relativize(resolved)
							+ " has no heading with the anchor #" + anchor);
				}
			}
		}
		assertThat(broken)
			.as("Links that lead nowhere (a section moved or a heading was renamed? "
					+ "point the link at where the text is now)")
			.isEmpty();
	}

	@Test
	void anchorsAreTheOnesGitHubMakes() {
		assertThat(Markdown.anchor("How processes are started and signalled: setsid, or posix_spawn on JDK 22+"))
			.isEqualTo("how-processes-are-started-and-signalled-setsid-or-posix_spawn-on-jdk-22");
		assertThat(Markdown.anchor("The `supervisor` endpoint")).isEqualTo("the-supervisor-endpoint");
		assertThat(Markdown.anchor("Java workers: `SupervisorConnection`"))
			.isEqualTo("java-workers-supervisorconnection");
		assertThat(Markdown.anchor("Restarts, backoff and giving up")).isEqualTo("restarts-backoff-and-giving-up");
	}

}
