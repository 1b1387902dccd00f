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

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.supervisor.worker.Protocol.Message;

/**
 * A worker's connection to the supervisor that started it, for any JVM program:
 *
 * <pre class="code">
 * SupervisorConnection supervisor = SupervisorConnection.fromEnvironment().orElse(null);
 * if (supervisor != null) {
 *     supervisor.onStop((deadline) -&gt; stopping.set(true));
 *     supervisor.onParentDeath(() -&gt; stopping.set(true));
 *     supervisor.ready();
 * }
 * </pre>
 *
 * Heartbeats, when the supervisor asks for them, are sent on a daemon thread of their
 * own. Outside a supervisor {@link #fromEnvironment()} is empty and nothing runs.
 *
 * @author the supervisor authors
 */
public final class SupervisorConnection implements AutoCloseable {

	private final SocketChannel channel;

	private final LineReader input;

	private final CompletableFuture<Message.Stop> stop = new CompletableFuture<>();

	private final CompletableFuture<Void> gone = new CompletableFuture<>();

	private final Duration grace;

	private final ScheduledExecutorService heartbeats;

	private volatile boolean closing;

	private SupervisorConnection(SocketChannel channel, LineReader input, Duration heartbeat, Duration grace) {
		this.channel = channel;
		this.input = input;
		this.grace = grace;
		this.heartbeats = Executors
			.newSingleThreadScheduledExecutor((runnable) -> daemon(runnable, "supervisor-heartbeat"));
		if (!heartbeat.isZero()) {
			this.heartbeats.scheduleAtFixedRate(() -> send(Message.Heartbeat.INSTANCE), 0, heartbeat.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Connect to the supervisor named in this process's environment.
	 * @return the connection, or empty if this process was not started by a supervisor
	 * with a control channel
	 * @throws IOException if the supervisor cannot be reached or refuses the connection
	 */
	public static Optional<SupervisorConnection> fromEnvironment() throws IOException {
		return connect(System.getenv());
	}

	/**
	 * Connect to the supervisor named in the given environment.
	 * @param environment the environment
	 * @return the connection, or empty if the environment names no supervisor
	 * @throws IOException if the supervisor cannot be reached or refuses the connection
	 */
	public static Optional<SupervisorConnection> connect(Map<String, String> environment) throws IOException {
		String socket = environment.get(Protocol.SOCKET);
		String secret = environment.get(Protocol.SECRET);
		if (socket == null || secret == null) {
			return Optional.empty();
		}
		Duration heartbeat = Duration.ofMillis(Long.parseLong(environment.getOrDefault(Protocol.HEARTBEAT, "0")));
		Duration grace = Duration.ofMillis(Long.parseLong(environment.getOrDefault(Protocol.GRACE, "2000")));
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.connect(UnixDomainSocketAddress.of(Path.of(socket)));
			// Reads and writes go straight to the channel: on JDK 17 its stream adapters
			// share one lock, and a blocked read would hold back every write
			write(channel, new Message.Hello(secret));
			LineReader input = new LineReader(channel);
			Message answer = input.next();
			if (!(answer instanceof Message.Ok)) {
				throw new IOException("The supervisor refused the connection: " + answer);
			}
			SupervisorConnection connection = new SupervisorConnection(channel, input, heartbeat, grace);
			daemon(connection::listen, "supervisor-connection").start();
			return Optional.of(connection);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw (ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex);
		}
	}

	/**
	 * Tell the supervisor this worker is ready.
	 */
	public void ready() {
		send(Message.Ready.INSTANCE);
	}

	/**
	 * Tell the supervisor what this worker is doing, shown by its actuator endpoint.
	 * @param text a short status
	 */
	public void status(String text) {
		send(new Message.Status(text));
	}

	/**
	 * Tell the supervisor this worker is stopping.
	 */
	public void stopping() {
		send(Message.Stopping.INSTANCE);
	}

	/**
	 * Return a future that completes with the deadline when the supervisor asks this
	 * worker to stop.
	 * @return the future
	 */
	public CompletableFuture<Instant> stopRequested() {
		return this.stop.thenApply(Message.Stop::deadline);
	}

	/**
	 * Run a callback when the supervisor asks this worker to stop.
	 * @param callback receives the deadline
	 */
	public void onStop(Consumer<Instant> callback) {
		stopRequested().thenAccept(callback);
	}

	/**
	 * Return a future that completes if the supervisor dies (its end of the connection
	 * closes without a word), even if it was killed with SIGKILL.
	 * @return the future
	 */
	public CompletableFuture<Void> supervisorGone() {
		return this.gone;
	}

	/**
	 * Return how long this worker may take to shut down after its supervisor died.
	 * @return the grace period
	 */
	public Duration parentDeathGrace() {
		return this.grace;
	}

	/**
	 * Watch for the death of the supervisor: run the graceful shutdown on a thread of its
	 * own, and halt the JVM when the grace period ends, whether or not it finished.
	 * @param gracefulShutdown what the worker does to stop
	 */
	public void onParentDeath(Runnable gracefulShutdown) {
		this.gone.thenRun(() -> {
			daemon(() -> {
				long end = System.nanoTime() + this.grace.toNanos();
				long left;
				while ((left = end - System.nanoTime()) > 0) {
					java.util.concurrent.locks.LockSupport.parkNanos(left);
				}
				Runtime.getRuntime().halt(1);
			}, "supervisor-parent-death-watchdog").start();
			daemon(gracefulShutdown, "supervisor-parent-death").start();
		});
	}

	/**
	 * Close the connection without telling anyone the supervisor is gone.
	 */
	@Override
	public void close() {
		this.closing = true;
		this.heartbeats.shutdownNow();
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	private synchronized void send(Message message) {
		if (this.closing || !this.channel.isOpen()) {
			return;
		}
		try {
			write(this.channel, message);
		}
		catch (IOException ex) {
			// The reader sees the end of the connection
		}
	}

	private static void write(SocketChannel channel, Message message) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(Protocol.format(message).getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			channel.write(bytes);
		}
	}

	private void listen() {
		boolean refused = false;
		try {
			while (true) {
				Message message = this.input.next();
				if (message instanceof Message.Stop stop) {
					this.stop.complete(stop);
				}
				else if (message instanceof Message.Error) {
					refused = true;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The connection ended
		}
		finally {
			this.heartbeats.shutdownNow();
			if (!this.closing && !refused) {
				this.gone.complete(null);
			}
		}
	}

	/**
	 * Reads the supervisor's lines from the channel.
	 */
	private static final class LineReader {

		private final SocketChannel channel;

		private final ByteBuffer buffer = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		private final ByteBuffer line = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		LineReader(SocketChannel channel) {
			this.channel = channel;
			this.buffer.flip();
		}

		Message next() throws IOException {
			while (true) {
				while (this.buffer.hasRemaining()) {
					byte b = this.buffer.get();
					if (b == '\n') {
						Message message = Protocol.parse(this.line.array(), this.line.position());
						this.line.clear();
						return message;
					}
					if (!this.line.hasRemaining()) {
						throw new IOException("Line too long");
					}
					this.line.put(b);
				}
				this.buffer.clear();
				int read = this.channel.read(this.buffer);
				this.buffer.flip();
				if (read < 0) {
					throw new IOException("The supervisor closed the connection");
				}
			}
		}

	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

}
