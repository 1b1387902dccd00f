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

package dev.supervisor.lifecycle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.supervisor.test.TestJvm;
import dev.supervisor.testapp.TestApplication;
import org.jspecify.annotations.Nullable;

/**
 * Starts {@link TestApplication} in a JVM of its own with workers and settings from its
 * command line.
 *
 * @author the supervisor authors
 */
final class TestApplications {

	private TestApplications() {
	}

	/**
	 * Start the application and wait until it has started.
	 * @param java the {@code java} to run, or {@code null} for this JVM's
	 * @param output where its output goes
	 * @param settings properties to set
	 * @return the running application
	 * @throws IOException if it cannot be started
	 */
	static TestJvm start(@Nullable Path java, Path output, Map<String, String> settings) throws IOException {
		TestJvm app = launch(java, output, settings);
		try {
			return app.awaitOutput("Started TestApplication");
		}
		catch (RuntimeException | AssertionError ex) {
			app.close();
			throw ex;
		}
	}

	/**
	 * Start the application without waiting.
	 * @param java the {@code java} to run, or {@code null} for this JVM's
	 * @param output where its output goes
	 * @param settings properties to set
	 * @return the application's JVM
	 * @throws IOException if it cannot be started
	 */
	static TestJvm launch(@Nullable Path java, Path output, Map<String, String> settings) throws IOException {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.shutdown=graceful"));
		settings.forEach((name, value) -> args.add("--" + name + "=" + value));
		String[] arguments = args.toArray(String[]::new);
		return (java != null) ? TestJvm.start(java, TestApplication.class, output, arguments)
				: TestJvm.start(TestApplication.class, output, arguments);
	}

	/**
	 * Return the settings of a worker group that runs a shell script.
	 * @param name the worker group
	 * @param script the script
	 * @param replicas the number of replicas
	 * @return the settings, to add more to
	 */
	static Map<String, String> worker(String name, String script, int replicas) {
		Map<String, String> settings = new LinkedHashMap<>();
		String prefix = "supervisor.workers." + name + ".";
		settings.put(prefix + "command[0]", "sh");
		settings.put(prefix + "command[1]", "-c");
		settings.put(prefix + "command[2]", script);
		settings.put(prefix + "replicas", Integer.toString(replicas));
		settings.put(prefix + "readiness.min-uptime", "200ms");
		return settings;
	}

}
