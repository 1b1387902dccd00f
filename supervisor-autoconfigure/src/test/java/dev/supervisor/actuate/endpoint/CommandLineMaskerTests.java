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

package dev.supervisor.actuate.endpoint;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommandLineMasker}.
 *
 * @author the supervisor authors
 */
class CommandLineMaskerTests {

	private final CommandLineMasker masker = new CommandLineMasker(new Sanitizer(List.of()));

	@Test
	void masksValuesOfSecretLookingArguments() {
		List<String> command = List.of("java", "-Dspring.datasource.password=pw1", "-Dapi.key=k1", "--token=t1",
				"--client-secret", "s1", "--auth", "a1", "--port=8080", "--keyboard=us", "app.jar", "--private-key=pk",
				"DB_PASSWD=p2");
		assertThat(this.masker.mask(command, false)).containsExactly("java", "-Dspring.datasource.password=******",
				"-Dapi.key=******", "--token=******", "--client-secret", "******", "--auth", "******", "--port=8080",
				"--keyboard=us", "app.jar", "--private-key=******", "DB_PASSWD=******");
	}

	@Test
	void masksPasswordsInUrls() {
		assertThat(this.masker.mask(List.of("--url=postgres://app:hunter2@db:5432/x", "redis://u:p@cache"), false))
			.containsExactly("--url=postgres://app:******@db:5432/x", "redis://u:******@cache");
	}

	@Test
	void showsEverythingWhenValuesAreShownUnlessASanitizingFunctionSaysOtherwise() {
		List<String> command = List.of("--token=t1", "--password", "p1", "--region=eu");
		assertThat(this.masker.mask(command, true)).isEqualTo(command);
		SanitizingFunction region = (data) -> data.getKey().equals("region") ? data.withValue("[hidden]") : data;
		CommandLineMasker custom = new CommandLineMasker(new Sanitizer(List.of(region)));
		assertThat(custom.mask(command, true)).containsExactly("--token=t1", "--password", "p1", "--region=[hidden]");
	}

	@Test
	void leavesOrdinaryCommandsAlone() {
		List<String> command = List.of("python3", "resize.py", "--port", "9000", "-v");
		assertThat(this.masker.mask(command, false)).isEqualTo(command);
		assertThat(SanitizableData.SANITIZED_VALUE).isEqualTo("******");
	}

}
