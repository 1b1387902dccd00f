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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one output stream of a replica on a platform thread of its own, splits it into
 * lines and caps their length. A virtual thread would not do: one blocked on a pipe pins
 * its carrier.
 *
 * @author the supervisor authors
 */
final class OutputPump implements Runnable {

	private static final long STACK_SIZE = 256 * 1024;

	private final InputStream input;

	private final int maxLineLength;

	private final LineHandler handler;

	private final CompletableFuture<Void> finished = new CompletableFuture<>();

	OutputPump(InputStream input, int maxLineLength, LineHandler handler) {
		this.input = input;
		this.maxLineLength = maxLineLength;
		this.handler = handler;
	}

	/**
	 * Start pumping on a new daemon thread.
	 * @param name the thread name
	 * @return a future that completes when the stream has ended
	 */
	CompletableFuture<Void> start(String name) {
		Thread thread = new Thread(null, this, name, STACK_SIZE);
		thread.setDaemon(true);
		thread.start();
		return this.finished;
	}

	@Override
	public void run() {
		byte[] buffer = new byte[8192];
		byte[] line = new byte[this.maxLineLength];
		int length = 0;
		boolean truncated = false;
		try (InputStream in = this.input) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				for (int i = 0; i < read; i++) {
					byte b = buffer[i];
					if (b == '\n') {
						emit(line, length, truncated);
						length = 0;
						truncated = false;
					}
					else if (length < line.length) {
						line[length++] = b;
					}
					else {
						truncated = true;
					}
				}
			}
			if (length > 0 || truncated) {
				emit(line, length, truncated);
			}
		}
		catch (IOException ex) {
			// The stream was closed under us: the process is gone
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.finished.complete(null);
		}
	}

	private void emit(byte[] line, int length, boolean truncated) throws InterruptedException {
		int end = (length > 0 && line[length - 1] == '\r') ? length - 1 : length;
		this.handler.line(new String(line, 0, end, StandardCharsets.UTF_8), truncated);
	}

	/**
	 * Receives the lines of a stream.
	 */
	@FunctionalInterface
	interface LineHandler {

		void line(String text, boolean truncated) throws InterruptedException;

	}

}
