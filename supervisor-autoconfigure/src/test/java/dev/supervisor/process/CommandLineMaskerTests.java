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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommandLineMasker}.
 *
 * @author the supervisor authors
 */
class CommandLineMaskerTests {

	@Test
	void masksValuesOfSecretLookingArguments() {
		List<String> command = List.of("java", "-Dspring.datasource.password=pw1", "-Dapi.key=k1", "--token=t1",
				"--client-secret", "s1", "--auth", "a1", "-password", "p3", "--port=8080", "--keyboard=us", "app.jar",
				"--private-key=pk", "DB_PASSWD=p2");
		assertThat(CommandLineMasker.mask(command)).containsExactly("java", "-Dspring.datasource.password=******",
				"-Dapi.key=******", "--token=******", "--client-secret", "******", "--auth", "******", "-password",
				"******", "--port=8080", "--keyboard=us", "app.jar", "--private-key=******", "DB_PASSWD=******");
	}

	@Test
	void masksPasswordsInUrls() {
		assertThat(CommandLineMasker.mask(List.of("--url=postgres://app:hunter2@db:5432/x", "redis://u:p@cache")))
			.containsExactly("--url=postgres://app:******@db:5432/x", "redis://u:******@cache");
	}

	@Test
	void shortFlagsAreNotMaskedBecauseTheyAreAsOftenPortsAsPasswords() {
		List<String> command = List.of("mysql", "-u", "root", "-p", "short222", "-pshort333", "-P", "3306");
		assertThat(CommandLineMasker.mask(command)).isEqualTo(command);
		assertThat(CommandLineMasker.mask(List.of("server", "-p", "8080"))).containsExactly("server", "-p", "8080");
	}

	@Test
	void valuesCanBeDecidedByAFunction() {
		List<String> command = List.of("--token=t1", "--password", "p1", "--region=eu", "redis://u:p@cache");
		assertThat(CommandLineMasker.mask(command, (name, value) -> value)).isEqualTo(command);
		assertThat(CommandLineMasker.mask(command, (name, value) -> (name != null) ? name + ":" + value : "?"))
			.containsExactly("--token=token:t1", "--password", "password:p1", "--region=region:eu", "?");
	}

	@Test
	void masksACommandLineGivenAsOneString() {
		assertThat(CommandLineMasker.mask("/usr/bin/app --password=secret123 --port 8080"))
			.isEqualTo("/usr/bin/app --password=****** --port 8080");
	}

	@Test
	void leavesOrdinaryCommandsAlone() {
		List<String> command = List.of("python3", "resize.py", "--port", "9000", "-v");
		assertThat(CommandLineMasker.mask(command)).isEqualTo(command);
		assertThat(CommandLineMasker.MASK).isEqualTo("******");
	}

}
