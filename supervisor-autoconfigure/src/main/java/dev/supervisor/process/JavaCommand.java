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

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.jspecify.annotations.Nullable;

/**
 * Builds the command that runs a main class on this application's own JDK and class path,
 * so a worker written in Java needs nothing but the JDK the application runs on. Inside
 * an executable Spring Boot jar the class is started through the jar's
 * {@code PropertiesLauncher}, which can read the nested jars.
 *
 * @author the supervisor authors
 */
public final class JavaCommand {

	static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private JavaCommand() {
	}

	/**
	 * Return the command that runs a main class.
	 * @param mainClass the fully qualified main class
	 * @param jvmArgs options for the JVM, such as {@code -Xmx64m}
	 * @param args arguments for the main method
	 * @return the argument vector
	 */
	public static List<String> of(String mainClass, List<String> jvmArgs, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(javaExecutable().toString());
		command.addAll(jvmArgs);
		String classPath = System.getProperty("java.class.path", "");
		Path bootJar = executableBootJar(classPath);
		if (bootJar != null) {
			command.add("-Dloader.main=" + mainClass);
			command.add("-cp");
			command.add(bootJar.toString());
			command.add(PROPERTIES_LAUNCHER);
		}
		else {
			command.add("-cp");
			command.add(absoluteClassPath(classPath));
			command.add(mainClass);
		}
		command.addAll(args);
		return command;
	}

	/**
	 * Return the {@code java} executable of the running JDK.
	 * @return the executable
	 */
	public static Path javaExecutable() {
		boolean windows = File.separatorChar == '\\';
		return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
	}

	private static @Nullable Path executableBootJar(String classPath) {
		if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
			return null;
		}
		Path jar = Path.of(classPath).toAbsolutePath();
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			Manifest manifest = jarFile.getManifest();
			String mainClass = (manifest != null) ? manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)
					: null;
			return (mainClass != null && mainClass.startsWith("org.springframework.boot.loader.")) ? jar : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static String absoluteClassPath(String classPath) {
		List<String> entries = new ArrayList<>();
		for (String entry : classPath.split(File.pathSeparator)) {
			if (!entry.isEmpty()) {
				entries.add(Path.of(entry).toAbsolutePath().toString());
			}
		}
		return String.join(File.pathSeparator, entries);
	}

}
