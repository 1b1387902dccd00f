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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.supervisor.process.JavaCommand;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

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
		return start(JavaCommand.javaExecutable(), mainClass, output, args);
	}

	/**
	 * Start a main class of the test class path on a given JDK.
	 * @param java the {@code java} executable
	 * @param mainClass the main class
	 * @param output the file that receives standard output and error
	 * @param args the program arguments
	 * @return the running JVM
	 * @throws IOException if it cannot be started
	 */
	public static TestJvm start(Path java, Class<?> mainClass, Path output, String... args) throws IOException {
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
		List<String> command = new ArrayList<>(JavaCommand.of(mainClass.getName(), jvmArgs, List.of(args)));
		command.set(0, java.toString());
		return start(command, output);
	}

	/**
	 * Start a JVM with a command line of its own, for example {@code java -jar}.
	 * @param command the command line
	 * @param output where its standard output and error go
	 * @return the JVM
	 * @throws IOException if it cannot be started
	 */
	public static TestJvm start(List<String> command, Path output) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.start();
		return new TestJvm(process, output);
	}

	public Process process() {
		return this.process;
	}

	/**
	 * Return a JDK of the given version or later: the one running the tests if it is
	 * recent enough, otherwise one installed next to it or in {@code /usr/lib/jvm}.
	 * @param version the lowest feature version, for example 21 for virtual threads
	 * @return its {@code java} executable, or {@code null} if there is none
	 */
	public static @Nullable Path jdk(int version) {
		if (Runtime.version().feature() >= version) {
			return JavaCommand.javaExecutable();
		}
		Path home = Path.of(System.getProperty("java.home")).getParent();
		Set<Path> directories = new LinkedHashSet<>();
		if (home != null) {
			directories.add(home);
		}
		directories.add(Path.of("/usr/lib/jvm"));
		return directories.stream()
			.map((directory) -> jdkIn(directory, version))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static @Nullable Path jdkIn(Path directory, int version) {
		try (Stream<Path> jdks = Files.list(directory)) {
			return jdks.filter((jdk) -> releaseVersion(jdk) >= version)
				.map((jdk) -> jdk.resolve("bin/java"))
				.filter(Files::isExecutable)
				.findFirst()
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static int releaseVersion(Path jdk) {
		try {
			for (String line : Files.readAllLines(jdk.resolve("release"))) {
				if (line.startsWith("JAVA_VERSION=")) {
					String version = line.substring(14).replace("\"", "");
					return Integer.parseInt(version.split("[.\\-+]")[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not a JDK we can use
		}
		return 0;
	}

	/**
	 * Wait until the JVM printed the given text, failing if it exits first.
	 * @param text the text
	 * @return this JVM
	 */
	public TestJvm awaitOutput(String text) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(90))
			.until(() -> output().contains(text) || !this.process.isAlive());
		assertThat(output()).as("JVM output").contains(text);
		return this;
	}

	/**
	 * Return the port the embedded web server started on.
	 * @return the port
	 */
	public int port() {
		Matcher matcher = Pattern.compile("Tomcat started on port (\\d+)").matcher(output());
		assertThat(matcher.find()).as(output()).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	/**
	 * Return the process ids of the replicas the JVM reported as started.
	 * @param worker the worker group
	 * @return the process ids
	 */
	public List<Long> replicaPids(String worker) {
		Matcher matcher = Pattern.compile("Started worker '" + worker + "' replica \\d+ \\(pid (\\d+)\\)")
			.matcher(output());
		List<Long> pids = new ArrayList<>();
		while (matcher.find()) {
			pids.add(Long.valueOf(matcher.group(1)));
		}
		return pids;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Send a signal to the JVM's whole process group, as a terminal's Ctrl-C does: the
	 * JVM must lead its group (start it through {@code setsid}).
	 * @param signal the signal name, for example {@code INT}
	 * @throws IOException if {@code kill} cannot be run
	 * @throws InterruptedException if interrupted
	 */
	public void signalGroup(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("sh", "-c", "kill -s " + signal + " -- -" + pid()).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
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
