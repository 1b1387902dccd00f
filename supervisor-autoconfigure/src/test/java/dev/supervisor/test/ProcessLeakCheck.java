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

package dev.supervisor.test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.fail;

/**
 * Fails a test class that leaves a process behind, and kills what it left. Registered for
 * every test class through the JUnit extension service loader, so a leak is blamed on the
 * class that caused it.
 *
 * @author the supervisor authors
 */
public class ProcessLeakCheck implements AfterAllCallback {

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			// Processes that were told to go (an orphan guard saying goodbye) get a
			// moment
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Processes.leftovers().isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			List<Long> leftovers = Processes.leftovers();
			String described = leftovers.stream()
				.map((pid) -> pid + " " + Processes.commandLine(pid))
				.collect(Collectors.joining(System.lineSeparator()));
			Processes.kill(leftovers);
			fail(context.getDisplayName() + " left processes behind:" + System.lineSeparator() + described);
		}
	}

}
