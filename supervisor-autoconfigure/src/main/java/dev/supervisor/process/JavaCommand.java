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
import java.util.Set;
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

	private static final String LOADER_MAIN = "-Dloader.main=";

	private static final Set<String> CLASS_PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path");

	private static final Set<String> MAIN_OPTIONS = Set.of("-jar", "-m", "--module");

	private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-p", "--module-path", "--upgrade-module-path",
			"--add-modules", "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules",
			"--enable-native-access");

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

	/**
	 * Return the parts of a command that runs a main class with {@code java -cp}, such as
	 * the commands {@link #of} builds, so that they can be shown readably.
	 * @param command the command
	 * @return the parts, or {@code null} if the command does not run {@code java} with a
	 * class path and a main class
	 */
	public static @Nullable Parts parse(List<String> command) {
		if (command.isEmpty() || !isJava(command.get(0))) {
			return null;
		}
		List<String> jvmArgs = new ArrayList<>();
		int classPathIndex = -1;
		int i = 1;
		for (; i < command.size(); i++) {
			String argument = command.get(i);
			if (!argument.startsWith("-")) {
				break;
			}
			if (CLASS_PATH_OPTIONS.contains(argument) && i + 1 < command.size()) {
				classPathIndex = ++i;
			}
			else if (MAIN_OPTIONS.contains(argument)) {
				// A jar or a module runs, not a class on a class path
				return null;
			}
			else {
				jvmArgs.add(argument);
				if (OPTIONS_WITH_VALUE.contains(argument) && i + 1 < command.size()) {
					jvmArgs.add(command.get(++i));
				}
			}
		}
		if (classPathIndex < 0 || i >= command.size()) {
			return null;
		}
		String mainClass = command.get(i);
		if (mainClass.equals(PROPERTIES_LAUNCHER)) {
			// Inside an executable jar the launcher finds the class in loader.main
			String loaderMain = jvmArgs.stream().filter((arg) -> arg.startsWith(LOADER_MAIN)).findFirst().orElse(null);
			if (loaderMain != null) {
				jvmArgs.remove(loaderMain);
				mainClass = loaderMain.substring(LOADER_MAIN.length());
			}
		}
		List<String> classPath = List.of(command.get(classPathIndex).split(File.pathSeparator));
		return new Parts(mainClass, jvmArgs, command.subList(i + 1, command.size()), classPath, classPathIndex);
	}

	private static boolean isJava(String program) {
		String name = Path.of(program).getFileName().toString();
		return name.equals("java") || name.equals("java.exe");
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

	/**
	 * The parts of a command that runs a main class on a class path.
	 *
	 * @param mainClass the main class (inside an executable jar, the one its launcher
	 * runs)
	 * @param jvmArgs the options for the JVM, without the class path
	 * @param args the arguments for the main method
	 * @param classPath the entries of the class path
	 * @param classPathIndex the index of the class path in the command
	 */
	public record Parts(String mainClass, List<String> jvmArgs, List<String> args, List<String> classPath,
			int classPathIndex) {

		/**
		 * Copy the lists.
		 * @param mainClass the main class
		 * @param jvmArgs the JVM options
		 * @param args the arguments
		 * @param classPath the class path entries
		 * @param classPathIndex the index of the class path in the command
		 */
		public Parts {
			jvmArgs = List.copyOf(jvmArgs);
			args = List.copyOf(args);
			classPath = List.copyOf(classPath);
		}

	}

}
