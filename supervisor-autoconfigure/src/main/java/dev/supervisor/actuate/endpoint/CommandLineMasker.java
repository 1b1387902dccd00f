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

package dev.supervisor.actuate.endpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;

/**
 * Masks what looks like a secret in a command line: the value of an argument whose name
 * says password, secret, token, credential or key ({@code --password=x},
 * {@code -Dapi.key=x}, {@code --token x}), and the password in a URL. When values may be
 * shown, the application's sanitizing functions still decide, as for the {@code env}
 * endpoint.
 *
 * @author the supervisor authors
 */
final class CommandLineMasker {

	private static final Pattern SECRET = Pattern.compile(
			"(pass(word|wd)?|pwd|secret|token|credential|auth|(^|[-_.])key($|[-_.])|[-_.]?(api|access|private|secret)[-_.]?key)",
			Pattern.CASE_INSENSITIVE);

	private final Sanitizer sanitizer;

	CommandLineMasker(Sanitizer sanitizer) {
		this.sanitizer = sanitizer;
	}

	List<String> mask(List<String> command, boolean showUnsanitized) {
		List<String> masked = new ArrayList<>(command.size());
		boolean nextIsSecret = false;
		for (String argument : command) {
			if (nextIsSecret) {
				masked.add(showUnsanitized ? argument : SanitizableData.SANITIZED_VALUE);
				nextIsSecret = false;
				continue;
			}
			int equals = argument.indexOf('=');
			if (equals > 0) {
				String name = argument.substring(0, equals);
				String value = argument.substring(equals + 1);
				masked.add(name + "=" + maskValue(name, value, showUnsanitized));
			}
			else if (argument.startsWith("-") && SECRET.matcher(argument).find()) {
				masked.add(argument);
				nextIsSecret = true;
			}
			else {
				masked.add(maskUrl(argument, showUnsanitized));
			}
		}
		return masked;
	}

	private String maskValue(String name, String value, boolean showUnsanitized) {
		if (!showUnsanitized) {
			return SECRET.matcher(stripDashes(name)).find() ? SanitizableData.SANITIZED_VALUE : maskUrl(value, false);
		}
		Object sanitized = this.sanitizer.sanitize(new SanitizableData(null, stripDashes(name), value), true);
		return String.valueOf(sanitized);
	}

	private static String maskUrl(String text, boolean showUnsanitized) {
		if (showUnsanitized || !text.contains("://") || !text.contains("@")) {
			return text;
		}
		try {
			URI uri = URI.create(text);
			String userInfo = uri.getRawUserInfo();
			if (userInfo != null && userInfo.contains(":")) {
				String user = userInfo.substring(0, userInfo.indexOf(':'));
				return text.replace(userInfo + "@", user + ":" + SanitizableData.SANITIZED_VALUE + "@");
			}
		}
		catch (IllegalArgumentException ex) {
			// Not a URL after all
		}
		return text;
	}

	private static String stripDashes(String name) {
		String stripped = name.replaceFirst("^-+D?", "");
		return stripped.toLowerCase(Locale.ROOT);
	}

}
