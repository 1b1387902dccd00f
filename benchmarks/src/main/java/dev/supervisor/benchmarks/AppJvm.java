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

package dev.supervisor.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.process.JavaCommand;

/**
 * The benchmark application running in a JVM of its own, with its output in a file.
 *
 * @author the supervisor authors
 */
final class AppJvm implements AutoCloseable {

	private final Process process;

	private final Path output;

	private AppJvm(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	static AppJvm start(List<String> args) throws IOException {
		Path output = Files.createTempFile("benchmark-app", ".log");
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--logging.level.dev.supervisor.process=WARN"));
		arguments.addAll(args);
		List<String> command = JavaCommand.of(BenchmarkApplication.class.getName(), List.of("-Xmx256m"), arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		AppJvm app = new AppJvm(process, output);
		app.awaitOutput("Tomcat started on port", Duration.ofSeconds(120));
		app.awaitOutput("Started BenchmarkApplication", Duration.ofSeconds(120));
		return app;
	}

	Process process() {
		return this.process;
	}

	int port() {
		Matcher matcher = Pattern.compile("Tomcat started on port (\\d+)").matcher(output());
		if (!matcher.find()) {
			throw new IllegalStateException("No port in " + output());
		}
		return Integer.parseInt(matcher.group(1));
	}

	void awaitOutput(String text, Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		while (!output().contains(text)) {
			if (!this.process.isAlive() || System.nanoTime() > end) {
				throw new IllegalStateException("'" + text + "' never came; output:\n" + output());
			}
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
	}

	String output() {
		try {
			return Files.readString(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() throws IOException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Files.deleteIfExists(this.output);
	}

}
