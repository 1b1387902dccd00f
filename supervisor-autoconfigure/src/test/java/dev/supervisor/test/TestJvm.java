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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.supervisor.process.JavaCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM started by a test, with its output in a file. Closing it kills it if it still
 * runs.
 *
 * @author the supervisor authors
 */
public final class TestJvm implements AutoCloseable {

	private final Process process;

	private final Path output;

	private TestJvm(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Start a main class of the test class path.
	 * @param mainClass the main class
	 * @param output the file that receives standard output and error
	 * @param args the program arguments
	 * @return the running JVM
	 * @throws IOException if it cannot be started
	 */
	public static TestJvm start(Class<?> mainClass, Path output, String... args) throws IOException {
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
		List<String> command = JavaCommand.of(mainClass.getName(), jvmArgs, List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.start();
		return new TestJvm(process, output);
	}

	public Process process() {
		return this.process;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Wait for the JVM to exit.
	 * @param timeout how long to wait
	 * @return its exit code
	 * @throws InterruptedException if interrupted
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		assertThat(this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
			.as("JVM exited within %s; output:%n%s", timeout, output())
			.isTrue();
		return this.process.exitValue();
	}

	/**
	 * Return what the JVM printed so far.
	 * @return the output
	 */
	public String output() {
		try {
			return Files.readString(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
