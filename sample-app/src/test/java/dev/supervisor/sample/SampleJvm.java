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

package dev.supervisor.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.process.JavaCommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample application, running in a JVM of its own that leads its own process
 * group, the way a shell runs a foreground job.
 *
 * @author the supervisor authors
 */
final class SampleJvm implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path output;

	private SampleJvm(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	static SampleJvm start(Path output, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("setsid", JavaCommand.javaExecutable().toString(), "-Xmx256m",
				"-jar", System.getProperty("sample.jar"), "--server.port=0"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		return new SampleJvm(process, output);
	}

	SampleJvm awaitStarted() {
		await().atMost(Duration.ofSeconds(90))
			.until(() -> output().contains("Started SampleApplication") || !this.process.isAlive());
		assertThat(this.process.isAlive()).as(output()).isTrue();
		return this;
	}

	int port() {
		Matcher matcher = PORT.matcher(output());
		assertThat(matcher.find()).as(output()).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Send a signal to the application's whole process group, as a terminal's Ctrl-C
	 * does.
	 */
	void signalGroup(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("sh", "-c", "kill -s " + signal + " -- -" + pid()).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
	}

	int awaitExit(Duration timeout) throws InterruptedException {
		assertThat(this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as(output()).isTrue();
		return this.process.exitValue();
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
