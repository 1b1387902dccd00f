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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Workers that note, in a file of their own, the moment SIGTERM reaches them: a shell
 * trap, no JVM, so the note is taken within microseconds of the signal. Bash's
 * {@code $EPOCHREALTIME} is read without starting a process; without bash, {@code date}
 * is run, which adds its start to every note.
 *
 * @author the supervisor authors
 */
final class TermStamps {

	private static final boolean BASH = Files.isExecutable(Path.of("/bin/bash"));

	private TermStamps() {
	}

	/**
	 * Return the command of a worker that notes SIGTERM in {@code dir/<replica index>}
	 * and exits.
	 * @param dir where the notes go
	 * @param before what the script does before it waits
	 * @return the command
	 */
	static List<String> worker(Path dir, String before) {
		return command(trap(dir, "term.") + " exit 0' TERM; " + before + "sleep 100000 & wait");
	}

	/**
	 * Return the command of a worker that notes SIGTERM in {@code dir/term.<replica>} and
	 * carries on; it holds {@code dir/fifo.<replica>} open for writing until it dies, so
	 * a reader sees the moment it is killed.
	 * @param dir where the notes and the pipes are
	 * @return the command
	 */
	static List<String> deafWorker(Path dir) {
		return command(trap(dir, "term.") + "' TERM; exec 3>\"" + dir + "/fifo.$SUPERVISOR_REPLICA\"; "
				+ "while :; do sleep 100000 3>&- & wait; done");
	}

	private static String trap(Path dir, String prefix) {
		String now = BASH ? "$EPOCHREALTIME" : "$(date +%s%N)";
		return "trap 'echo " + now + " > \"" + dir + "/" + prefix + "$SUPERVISOR_REPLICA\";";
	}

	private static List<String> command(String script) {
		return BASH ? List.of("/bin/bash", "-c", script) : List.of("sh", "-c", script);
	}

	/**
	 * Return the time now as the notes have it.
	 * @return microseconds since the epoch
	 */
	static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
	}

	/**
	 * Wait for a note from each replica and return them, earliest first.
	 * @param dir where the notes are
	 * @param replicas how many there must be
	 * @param patience how long to wait for them
	 * @return microseconds since the epoch; fewer than the replicas if some never got
	 * SIGTERM
	 */
	static long[] read(Path dir, int replicas, Duration patience) throws IOException {
		long end = System.nanoTime() + patience.toNanos();
		List<Path> notes;
		while ((notes = notes(dir)).size() < replicas && System.nanoTime() < end) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		long[] at = new long[notes.size()];
		for (int i = 0; i < at.length; i++) {
			at[i] = parse(Files.readString(notes.get(i), StandardCharsets.US_ASCII).trim());
		}
		Arrays.sort(at);
		return at;
	}

	private static List<Path> notes(Path dir) throws IOException {
		List<Path> notes = new ArrayList<>();
		try (Stream<Path> files = Files.list(dir)) {
			files.filter((file) -> file.getFileName().toString().startsWith("term.")).forEach((file) -> {
				try {
					// Written by an echo: complete once it ends with a newline
					if (Files.readString(file, StandardCharsets.US_ASCII).endsWith("\n")) {
						notes.add(file);
					}
				}
				catch (IOException ex) {
					// not written yet
				}
			});
		}
		return notes;
	}

	private static long parse(String note) {
		int point = note.indexOf('.');
		if (point < 0) {
			// date +%s%N: nanoseconds
			return Long.parseLong(note) / 1000;
		}
		return Long.parseLong(note.substring(0, point)) * 1_000_000 + Long.parseLong(note.substring(point + 1));
	}

	static void delete(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
