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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import dev.supervisor.worker.Protocol.Message;
import dev.supervisor.worker.Protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests for {@link Protocol}, including a fuzz of the parser.
 *
 * @author the supervisor authors
 */
class ProtocolTests {

	@Test
	void parsesEveryMessage() {
		assertThat(Protocol.parse("HELLO abc123")).isEqualTo(new Message.Hello("abc123"));
		assertThat(Protocol.parse("READY")).isEqualTo(Message.Ready.INSTANCE);
		assertThat(Protocol.parse("STATUS=indexing 3 of 9 = 33%"))
			.isEqualTo(new Message.Status("indexing 3 of 9 = 33%"));
		assertThat(Protocol.parse("STATUS=")).isEqualTo(new Message.Status(""));
		assertThat(Protocol.parse("HEARTBEAT")).isEqualTo(Message.Heartbeat.INSTANCE);
		assertThat(Protocol.parse("STOPPING")).isEqualTo(Message.Stopping.INSTANCE);
		assertThat(Protocol.parse("OK")).isEqualTo(Message.Ok.INSTANCE);
		assertThat(Protocol.parse("STOP 1795425001548 4980"))
			.isEqualTo(new Message.Stop(Instant.ofEpochMilli(1795425001548L), Duration.ofMillis(4980)));
		assertThat(Protocol.parse("ERROR unknown secret")).isEqualTo(new Message.Error("unknown secret"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ready", "READY now", "HELLO", "HELLO a b", "HELLO ", "STOP", "STOP 1", "STOP a b",
			"HEARTBEAT 1", "PING", "STATUS", "READY\u0000", "\u0001READY" })
	void refusesMalformedLines(String line) {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> Protocol.parse(line));
	}

	@Test
	void refusesLinesThatAreTooLongOrNotUtf8() {
		byte[] longLine = "STATUS=".concat("x".repeat(Protocol.MAX_LINE_LENGTH)).getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> Protocol.parse(longLine, Protocol.MAX_LINE_LENGTH));
		byte[] notUtf8 = { 'S', 'T', 'A', 'T', 'U', 'S', '=', (byte) 0xC3, (byte) 0x28 };
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> Protocol.parse(notUtf8, notUtf8.length))
			.withMessage("line is not UTF-8");
	}

	@Test
	void randomBytesEitherParseOrAreRefusedNeverAnythingElse() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		byte[][] alphabet = { "HELLO ".getBytes(), "READY".getBytes(), "STATUS=".getBytes(), "STOP ".getBytes(),
				"HEARTBEAT".getBytes(), " ".getBytes(), "\r".getBytes(), "\u00e9".getBytes(StandardCharsets.UTF_8) };
		for (int i = 0; i < 200_000; i++) {
			byte[] bytes = new byte[random.nextInt(Protocol.MAX_LINE_LENGTH + 100)];
			if (random.nextBoolean()) {
				random.nextBytes(bytes);
			}
			else {
				int length = 0;
				while (length < bytes.length) {
					byte[] piece = (random.nextInt(4) == 0) ? new byte[] { (byte) random.nextInt(256) }
							: alphabet[random.nextInt(alphabet.length)];
					int count = Math.min(piece.length, bytes.length - length);
					System.arraycopy(piece, 0, bytes, length, count);
					length += count;
				}
			}
			try {
				Message message = Protocol.parse(bytes, bytes.length);
				assertThat(message).isNotNull();
				assertThat(Protocol.format(message).getBytes(StandardCharsets.UTF_8).length)
					.isLessThanOrEqualTo(Protocol.MAX_LINE_LENGTH);
			}
			catch (ProtocolException ex) {
				// refused, as it should be
			}
			catch (RuntimeException ex) {
				fail("seed %d: %s on %s", seed, ex, java.util.Arrays.toString(bytes));
			}
		}
	}

	@Test
	void formattedMessagesParseBackAndStayWithinTheLimit() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		for (int i = 0; i < 20_000; i++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(2000);
			for (int c = 0; c < length; c++) {
				text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x20) : 0x20 + random.nextInt(0x3000));
			}
			Message status = new Message.Status(text.toString());
			String line = Protocol.format(status);
			byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
			assertThat(bytes.length).as("seed %d", seed).isLessThanOrEqualTo(Protocol.MAX_LINE_LENGTH);
			assertThat(line).endsWith("\n");
			Message parsed = Protocol.parse(bytes, bytes.length - 1);
			assertThat(parsed).as("seed %d", seed).isInstanceOf(Message.Status.class);
			String sent = text.toString().replaceAll("[\\x00-\\x1f]", " ");
			assertThat(sent).startsWith(((Message.Status) parsed).text());
		}
	}

}
