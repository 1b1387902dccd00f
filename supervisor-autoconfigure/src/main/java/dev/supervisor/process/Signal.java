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

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The POSIX signals the supervisor sends or recognizes in an exit status. Numbers are the
 * ones shared by Linux and macOS; they describe an exit status, and {@link Posix} sends
 * by number (knowing Linux's for the two that differ). Everything else sends by name.
 *
 * @author the supervisor authors
 */
public enum Signal {

	/** Hang-up. */
	HUP(1),

	/** Interrupt, as from Ctrl-C. */
	INT(2),

	/** Quit, often used to request a thread dump. */
	QUIT(3),

	/** Illegal instruction. */
	ILL(4),

	/** Trace trap. */
	TRAP(5),

	/** Abort. */
	ABRT(6),

	/** Kill; cannot be caught or ignored. */
	KILL(9),

	/** User-defined signal 1 (number differs between platforms). */
	USR1(-1),

	/** Segmentation fault. */
	SEGV(11),

	/** User-defined signal 2 (number differs between platforms). */
	USR2(-1),

	/** Broken pipe. */
	PIPE(13),

	/** Alarm. */
	ALRM(14),

	/** Termination request, the default graceful stop signal. */
	TERM(15);

	private final int number;

	Signal(int number) {
		this.number = number;
	}

	/**
	 * Return the number shared by Linux and macOS.
	 * @return the number, or {@code -1} if it differs between platforms
	 */
	int number() {
		return this.number;
	}

	/**
	 * Return the conventional name, for example {@code SIGTERM}.
	 * @return the name with its {@code SIG} prefix
	 */
	public String signalName() {
		return "SIG" + name();
	}

	/**
	 * Return the signal with the given number, if it is one whose number is the same on
	 * every supported platform.
	 * @param number the signal number
	 * @return the signal or {@code null}
	 */
	public static @Nullable Signal ofNumber(int number) {
		for (Signal signal : values()) {
			if (signal.number == number) {
				return signal;
			}
		}
		return null;
	}

	/**
	 * Parse a signal name such as {@code TERM}, {@code SIGTERM} or {@code sigterm}.
	 * @param name the name
	 * @return the signal
	 * @throws IllegalArgumentException if the name is not a known signal
	 */
	public static Signal parse(String name) {
		String candidate = name.trim().toUpperCase(Locale.ROOT);
		if (candidate.startsWith("SIG")) {
			candidate = candidate.substring(3);
		}
		try {
			return valueOf(candidate);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown signal '" + name + "'", ex);
		}
	}

}
