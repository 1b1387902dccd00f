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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads one output stream of a replica on a platform thread of its own, splits it into
 * lines and caps their length. A virtual thread would not do: one blocked on a pipe pins
 * its carrier.
 * <p>
 * The thread is started before the process whose output it reads, and waits for the
 * stream: a thread that cannot be created (a limit on processes and threads) then fails
 * the start cleanly, rather than leaving a running process that nobody reads.
 *
 * @author the supervisor authors
 */
final class OutputPump implements Runnable {

	private static final long STACK_SIZE = 256 * 1024;

	private final CompletableFuture<Source> source = new CompletableFuture<>();

	private final CompletableFuture<Void> finished = new CompletableFuture<>();

	/**
	 * Start the pump's daemon thread, which waits for {@link #pump} or {@link #cancel}.
	 * @param name the thread name
	 * @throws OutOfMemoryError if the thread cannot be created
	 */
	OutputPump(String name) {
		Thread thread = new Thread(null, this, name, STACK_SIZE);
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Read a stream to its end.
	 * @param input the stream
	 * @param maxLineLength the longest line passed on whole; the rest is cut off
	 * @param handler receives every line
	 * @return a future that completes when the stream has ended
	 */
	CompletableFuture<Void> pump(InputStream input, int maxLineLength, LineHandler handler) {
		this.source.complete(new Source(input, maxLineLength, handler));
		return this.finished;
	}

	/**
	 * Let the thread end without reading anything: the process was not started.
	 */
	void cancel() {
		this.source.cancel(false);
	}

	@Override
	public void run() {
		Source from;
		try {
			from = this.source.get();
		}
		catch (CancellationException | ExecutionException ex) {
			this.finished.complete(null);
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.finished.complete(null);
			return;
		}
		byte[] buffer = new byte[8192];
		byte[] line = new byte[from.maxLineLength()];
		int length = 0;
		boolean truncated = false;
		try (InputStream in = from.input()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				for (int i = 0; i < read; i++) {
					byte b = buffer[i];
					if (b == '\n') {
						emit(from.handler(), line, length, truncated);
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
				emit(from.handler(), line, length, truncated);
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

	private static void emit(LineHandler handler, byte[] line, int length, boolean truncated)
			throws InterruptedException {
		int end = (length > 0 && line[length - 1] == '\r') ? length - 1 : length;
		handler.line(new String(line, 0, end, StandardCharsets.UTF_8), truncated);
	}

	/**
	 * Receives the lines of a stream.
	 */
	@FunctionalInterface
	interface LineHandler {

		void line(String text, boolean truncated) throws InterruptedException;

	}

	private record Source(InputStream input, int maxLineLength, LineHandler handler) {
	}

}
