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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README what a newcomer reads in five minutes: short, with the two commands
 * that run the sample and the tests, the test command being the one CI runs.
 *
 * @author the supervisor authors
 */
class ReadmeTests {

	private static final int MAX_BYTES = 12 * 1024;

	private static final String RUN = "./mvnw -pl sample-app -am spring-boot:run";

	private static final String TEST = "./mvnw verify";

	@Test
	void readmeStaysShort() throws IOException {
		long size = Files.size(Markdown.root().resolve("README.md"));
		assertThat(size)
			.as("README.md is %d bytes, more than %d: move reference text into a page under docs/ "
					+ "(whole sections) and link to it from the README's Documentation list", size, MAX_BYTES)
			.isLessThanOrEqualTo(MAX_BYTES);
	}

	@Test
	void readmeGivesBothCommandsAndCiRunsItsTestCommand() throws IOException {
		List<String> commands = Markdown.read(Markdown.root().resolve("README.md"))
			.codeBlocks()
			.get(0)
			.body()
			.stream()
			.map(String::strip)
			.toList();
		assertThat(commands).as("the README's first code block").hasSize(2);
		assertThat(commands.get(0)).as("the command that runs the sample app").startsWith(RUN + " ");
		assertThat(commands.get(1)).as("the command that runs the tests").startsWith(TEST + " ");
		Path ci = Markdown.root().resolve(".ci/run");
		assertThat(Files.readAllLines(ci)).as("%s runs the README's test command", ci).contains(commands.get(1));
	}

}
