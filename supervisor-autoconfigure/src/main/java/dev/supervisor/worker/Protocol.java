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

package dev.supervisor.worker;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The supervisor's control protocol: one line per message, UTF-8, at most
 * {@value #MAX_LINE_LENGTH} bytes with its line feed. A worker in any language speaks it
 * in a few lines:
 *
 * <pre>
 * connect to the Unix-domain socket in $SUPERVISOR_NOTIFY_SOCKET
 * send   HELLO $SUPERVISOR_NOTIFY_SECRET     (first line, once; answered OK or ERROR)
 * send   READY                               (when it is ready)
 * send   STATUS=some text                    (whenever it likes)
 * send   HEARTBEAT                           (every $SUPERVISOR_NOTIFY_HEARTBEAT ms, if set)
 * send   STOPPING                            (when it begins to stop)
 * read   STOP deadline-epoch-ms remaining-ms (stop by the deadline)
 * </pre>
 *
 * A connection that says anything else, sends a line that is too long or not UTF-8, uses
 * a secret that is unknown or was used before, comes from a process that may not speak
 * for the worker (another user; where the supervisor can tell, a process that is neither
 * the worker's nor below it), or says nothing for {@link #HELLO_TIMEOUT} is answered
 * {@code ERROR reason} and closed; nothing else is affected. When the supervisor dies its
 * end closes: a worker that sees its connection end without an {@code ERROR} knows its
 * parent is gone.
 *
 * @author the supervisor authors
 */
public final class Protocol {

	/** Environment variable with the path of the supervisor's socket. */
	public static final String SOCKET = "SUPERVISOR_NOTIFY_SOCKET";

	/** Environment variable with the secret that identifies this process. */
	public static final String SECRET = "SUPERVISOR_NOTIFY_SECRET";

	/** Environment variable with the heartbeat interval in milliseconds, if required. */
	public static final String HEARTBEAT = "SUPERVISOR_NOTIFY_HEARTBEAT";

	/** Environment variable with the grace period after the supervisor's death, in ms. */
	public static final String GRACE = "SUPERVISOR_NOTIFY_GRACE";

	/** The longest line, with its line feed, in bytes. */
	public static final int MAX_LINE_LENGTH = 1024;

	/** How long a new connection may take to say hello. */
	public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

	private Protocol() {
	}

	/**
	 * Parse one line, without its line feed.
	 * @param bytes the line's bytes
	 * @param length how many of them
	 * @return the message
	 * @throws ProtocolException if the line is not a valid message
	 */
	public static Message parse(byte[] bytes, int length) {
		if (length >= MAX_LINE_LENGTH) {
			throw new ProtocolException("line longer than " + (MAX_LINE_LENGTH - 1) + " bytes");
		}
		String line;
		try {
			line = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(bytes, 0, length))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ProtocolException("line is not UTF-8");
		}
		if (line.endsWith("\r")) {
			line = line.substring(0, line.length() - 1);
		}
		return parse(line);
	}

	/**
	 * Parse one line, without its line feed.
	 * @param line the line
	 * @return the message
	 * @throws ProtocolException if the line is not a valid message
	 */
	public static Message parse(String line) {
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c < 0x20 && c != '\t') {
				throw new ProtocolException("control character in line");
			}
		}
		if (line.startsWith("STATUS=")) {
			return new Message.Status(line.substring(7));
		}
		String[] words = line.split(" ", -1);
		return switch (words[0]) {
			case "HELLO" -> {
				expect(words, 2, line);
				if (words[1].isEmpty()) {
					throw new ProtocolException("empty secret");
				}
				yield new Message.Hello(words[1]);
			}
			case "READY" -> single(words, line, Message.Ready.INSTANCE);
			case "HEARTBEAT" -> single(words, line, Message.Heartbeat.INSTANCE);
			case "STOPPING" -> single(words, line, Message.Stopping.INSTANCE);
			case "OK" -> single(words, line, Message.Ok.INSTANCE);
			case "STOP" -> {
				expect(words, 3, line);
				try {
					yield new Message.Stop(Instant.ofEpochMilli(Long.parseLong(words[1])),
							Duration.ofMillis(Long.parseLong(words[2])));
				}
				catch (NumberFormatException ex) {
					throw new ProtocolException("STOP needs two numbers");
				}
			}
			case "ERROR" -> new Message.Error(line.substring(Math.min(line.length(), 6)));
			default -> throw new ProtocolException("unknown message '" + abbreviate(words[0]) + "'");
		};
	}

	/**
	 * Format a message as a line with its line feed.
	 * @param message the message
	 * @return the line
	 */
	public static String format(Message message) {
		String line;
		if (message instanceof Message.Hello hello) {
			line = "HELLO " + hello.secret();
		}
		else if (message instanceof Message.Status status) {
			line = "STATUS=" + status.text().replaceAll("[\\x00-\\x1f]", " ");
		}
		else if (message instanceof Message.Stop stop) {
			line = "STOP " + stop.deadline().toEpochMilli() + " " + Math.max(0, stop.remaining().toMillis());
		}
		else if (message instanceof Message.Error error) {
			line = "ERROR " + error.reason().replaceAll("[\\x00-\\x1f]", " ");
		}
		else {
			line = message.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
		}
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		if (bytes.length >= MAX_LINE_LENGTH) {
			// Keep within the limit without cutting a character in half
			line = new String(bytes, 0, MAX_LINE_LENGTH - 4, StandardCharsets.UTF_8).replace("\uFFFD", "");
		}
		return line + "\n";
	}

	private static Message single(String[] words, String line, Message message) {
		expect(words, 1, line);
		return message;
	}

	private static void expect(String[] words, int count, String line) {
		if (words.length != count) {
			throw new ProtocolException("malformed '" + abbreviate(line) + "'");
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

	/**
	 * A message of the protocol.
	 */
	public sealed interface Message {

		/**
		 * The worker says who it is.
		 *
		 * @param secret the secret from {@link Protocol#SECRET}
		 */
		record Hello(String secret) implements Message {
		}

		/** The worker is ready. */
		enum Ready implements Message {

			/** The message. */
			INSTANCE

		}

		/**
		 * The worker's status, shown by the supervisor.
		 *
		 * @param text the status
		 */
		record Status(String text) implements Message {
		}

		/** The worker is alive. */
		enum Heartbeat implements Message {

			/** The message. */
			INSTANCE

		}

		/** The worker is stopping. */
		enum Stopping implements Message {

			/** The message. */
			INSTANCE

		}

		/** The supervisor accepted the hello. */
		enum Ok implements Message {

			/** The message. */
			INSTANCE

		}

		/**
		 * The supervisor asks the worker to stop by the deadline.
		 *
		 * @param deadline when the worker will be killed if it is still there
		 * @param remaining the time left when the message was sent
		 */
		record Stop(Instant deadline, Duration remaining) implements Message {
		}

		/**
		 * The supervisor refuses the connection and closes it.
		 *
		 * @param reason why
		 */
		record Error(String reason) implements Message {
		}

	}

	/**
	 * A line that is not a valid message.
	 */
	public static class ProtocolException extends RuntimeException {

		/**
		 * Create an exception.
		 * @param message what is wrong
		 */
		public ProtocolException(String message) {
			super(message);
		}

	}

}
