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
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Finds the executable a command names, the way {@code execvp} would, so that a typo is
 * reported before any process is started.
 *
 * @author the supervisor authors
 */
public final class CommandLocator {

	private CommandLocator() {
	}

	/**
	 * Locate the executable for a program name.
	 * @param program the first element of a command
	 * @param workingDirectory the directory the command runs in, against which a relative
	 * path is resolved, or {@code null} for the current directory
	 * @param searchPath the {@code PATH} the command runs with, or {@code null} for this
	 * process's
	 * @return the executable
	 * @throws IllegalArgumentException with a message saying what is wrong if there is no
	 * such executable
	 */
	public static Path locate(String program, @Nullable Path workingDirectory, @Nullable String searchPath) {
		if (program.isBlank()) {
			throw new IllegalArgumentException("the program name is blank");
		}
		if (program.contains("/") || program.contains(File.separator)) {
			Path path = Path.of(program);
			if (!path.isAbsolute()) {
				path = ((workingDirectory != null) ? workingDirectory : Path.of("")).toAbsolutePath().resolve(path);
			}
			check(program, path);
			return path;
		}
		String pathVariable = (searchPath != null) ? searchPath : System.getenv("PATH");
		if (pathVariable != null) {
			for (String directory : pathVariable.split(File.pathSeparator)) {
				Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
				if (isExecutableFile(candidate)) {
					return candidate;
				}
				if (File.separatorChar == '\\' && isExecutableFile(Path.of(directory, program + ".exe"))) {
					return Path.of(directory, program + ".exe");
				}
			}
		}
		throw new IllegalArgumentException(
				"command '" + program + "' was not found on the PATH (" + pathVariable + ")");
	}

	private static void check(String program, Path path) {
		if (!Files.exists(path)) {
			throw new IllegalArgumentException("command '" + program + "' does not exist (" + path + ")");
		}
		if (Files.isDirectory(path)) {
			throw new IllegalArgumentException("command '" + program + "' is a directory (" + path + ")");
		}
		if (!Files.isExecutable(path)) {
			throw new IllegalArgumentException("command '" + program + "' is not executable (" + path + ")");
		}
	}

	private static boolean isExecutableFile(Path candidate) {
		return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
	}

}
