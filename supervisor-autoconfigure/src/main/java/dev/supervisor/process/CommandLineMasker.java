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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks what looks like a secret in a command line, wherever a command is shown (logs,
 * failure analysis, the actuator endpoint): the value of an argument whose name says
 * password, secret, token, credential, auth or key ({@code --password=x},
 * {@code -Dapi.key=x}, {@code --token x}, {@code DB_PASSWD=x}), and the password in a URL
 * ({@code postgres://app:x@db/app}).
 * <p>
 * Short flags are not masked: {@code -p x} is a port as often as a password. Pass secrets
 * to a worker in its environment or as long flags.
 *
 * @author the supervisor authors
 */
public final class CommandLineMasker {

	/** What a masked value is shown as. */
	public static final String MASK = "******";

	private static final Pattern SECRET = Pattern.compile(
			"(pass(word|wd)?|pwd|secret|token|credential|auth|(^|[-_.])key($|[-_.])|[-_.]?(api|access|private|secret)[-_.]?key)",
			Pattern.CASE_INSENSITIVE);

	private static final Values MASKED = (name, value) -> (name != null && isSecret(name)) ? MASK
			: maskUrlPassword(value);

	private CommandLineMasker() {
	}

	/**
	 * Return the command with every secret-looking value masked.
	 * @param command the command
	 * @return the masked command
	 */
	public static List<String> mask(List<String> command) {
		return mask(command, MASKED);
	}

	/**
	 * Return the command with every value of an argument decided by a function: the value
	 * of a {@code name=value} argument, of a secret-looking flag followed by its value,
	 * and every other argument (without a name).
	 * @param command the command
	 * @param values decides what each value is shown as
	 * @return the command as shown
	 */
	public static List<String> mask(List<String> command, Values values) {
		List<String> masked = new ArrayList<>(command.size());
		@Nullable String flag = null;
		for (String argument : command) {
			if (flag != null) {
				masked.add(values.show(flag, argument));
				flag = null;
				continue;
			}
			int equals = argument.indexOf('=');
			if (equals > 0) {
				String name = argument.substring(0, equals);
				masked.add(name + "=" + values.show(name(name), argument.substring(equals + 1)));
			}
			else if (argument.startsWith("-") && argument.length() > 2 && isSecret(argument)) {
				// --token X: the next argument is the value
				masked.add(argument);
				flag = name(argument);
			}
			else {
				masked.add(values.show(null, argument));
			}
		}
		return masked;
	}

	/**
	 * Return a command line given as one string, such as the operating system shows it,
	 * with every secret-looking value masked. Arguments are taken to be separated by
	 * spaces.
	 * @param commandLine the command line
	 * @return the masked command line
	 */
	public static String mask(String commandLine) {
		return String.join(" ", mask(List.of(commandLine.split(" ", -1))));
	}

	/**
	 * Return whether an argument name looks like the name of a secret.
	 * @param name the name, such as {@code password} or {@code --api-key}
	 * @return {@code true} if its value should be masked
	 */
	public static boolean isSecret(String name) {
		return SECRET.matcher(name).find();
	}

	/**
	 * Return the text with the password of a URL in it masked.
	 * @param text the text
	 * @return the text, masked
	 */
	public static String maskUrlPassword(String text) {
		if (!text.contains("://") || !text.contains("@")) {
			return text;
		}
		try {
			URI uri = URI.create(text);
			String userInfo = uri.getRawUserInfo();
			if (userInfo != null && userInfo.contains(":")) {
				String user = userInfo.substring(0, userInfo.indexOf(':'));
				return text.replace(userInfo + "@", user + ":" + MASK + "@");
			}
		}
		catch (IllegalArgumentException ex) {
			// Not a URL after all
		}
		return text;
	}

	private static String name(String argument) {
		return argument.replaceFirst("^-+D?", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * Decides how a value on a command line is shown.
	 */
	@FunctionalInterface
	public interface Values {

		/**
		 * Return what a value is shown as.
		 * @param name the argument's name without leading dashes or {@code -D},
		 * lowercase, or {@code null} for an argument without a name
		 * @param value the value
		 * @return what to show
		 */
		String show(@Nullable String name, String value);

	}

}
