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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.supervisor.worker.Protocol;
import dev.supervisor.worker.Protocol.Message;
import dev.supervisor.worker.Protocol.ProtocolException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervisor's end of the control protocol ({@link Protocol}): a Unix-domain socket
 * in a directory only this user can open, served by one thread for all workers. Each
 * process gets a secret of its own; a connection must present one that is known and was
 * not used before. A connection that misbehaves (unknown message, a line too long or not
 * UTF-8, no hello in time) is answered {@code ERROR} and closed, with a log line; the
 * others go on.
 *
 * @author the supervisor authors
 */
final class ControlChannel implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ControlChannel.class);

	private static final SecureRandom random = new SecureRandom();

	private final Path directory;

	private final Path socket;

	private final ServerSocketChannel server;

	private final Selector selector;

	private final Thread thread;

	private final Map<String, Registration> registrations = new ConcurrentHashMap<>();

	private final Set<String> used = ConcurrentHashMap.newKeySet();

	private final Set<Connection> pending = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private ControlChannel(Path directory) throws IOException {
		this.directory = directory;
		this.socket = directory.resolve("control.sock");
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socket));
		this.server.configureBlocking(false);
		this.selector = Selector.open();
		this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		this.thread = new Thread(this::serve, "supervisor-control");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Open a channel in a new private directory.
	 * @return the channel
	 * @throws IOException if it cannot be opened
	 */
	static ControlChannel open() throws IOException {
		Path directory;
		try {
			directory = Files.createTempDirectory("supervisor-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the user's temp directory is private
			// already
			directory = Files.createTempDirectory("supervisor-");
		}
		return new ControlChannel(directory);
	}

	Path socket() {
		return this.socket;
	}

	/**
	 * Register a process that is about to start.
	 * @param label who it is, for log lines
	 * @param listener receives its messages, on the channel's thread
	 * @return the registration, with the secret to give the process
	 */
	Registration register(String label, Listener listener) {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		Registration registration = new Registration(HexFormat.of().formatHex(bytes), label, listener);
		this.registrations.put(registration.secret, registration);
		return registration;
	}

	@Override
	public void close() {
		this.closed = true;
		this.selector.wakeup();
		try {
			this.thread.join(2000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			this.server.close();
			this.selector.close();
			Files.deleteIfExists(this.socket);
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + this.directory, ex);
		}
	}

	private void serve() {
		try {
			while (!this.closed) {
				long timeout = this.pending.isEmpty() ? 0 : Protocol.HELLO_TIMEOUT.toMillis() / 5;
				this.selector.select(timeout);
				Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept();
					}
					else if (key.isReadable()) {
						((Connection) key.attachment()).read();
					}
				}
				expireSilentConnections();
			}
		}
		catch (IOException | RuntimeException ex) {
			if (!this.closed) {
				logger.error("The control channel failed; notify workers can no longer report", ex);
			}
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				if (key.attachment() instanceof Connection connection) {
					connection.close();
				}
			}
		}
	}

	private void accept() throws IOException {
		SocketChannel channel = this.server.accept();
		if (channel == null) {
			return;
		}
		channel.configureBlocking(false);
		Connection connection = new Connection(channel);
		channel.register(this.selector, SelectionKey.OP_READ, connection);
		this.pending.add(connection);
	}

	private void expireSilentConnections() {
		long now = System.nanoTime();
		for (Connection connection : this.pending) {
			if (now - connection.openedAt > Protocol.HELLO_TIMEOUT.toNanos()) {
				connection.refuse("no HELLO within " + Protocol.HELLO_TIMEOUT.toSeconds() + "s");
			}
		}
	}

	/**
	 * Receives the messages of one registered process.
	 */
	interface Listener {

		void received(Registration registration, Message message, Instant at);

	}

	/**
	 * A process that may connect, with its secret.
	 */
	final class Registration {

		private final String secret;

		private final String label;

		private final Listener listener;

		private volatile @Nullable Connection connection;

		private final CompletableFuture<Void> closed = new CompletableFuture<>();

		private Registration(String secret, String label, Listener listener) {
			this.secret = secret;
			this.label = label;
			this.listener = listener;
		}

		String secret() {
			return this.secret;
		}

		/**
		 * Return a future that completes when the process's connection has ended and
		 * everything it sent was handed to the listener.
		 * @return the future
		 */
		CompletableFuture<Void> closed() {
			return this.closed;
		}

		boolean connected() {
			Connection current = this.connection;
			return current != null && current.channel.isOpen();
		}

		/**
		 * Send a message to the process, if it is connected.
		 * @param message the message
		 * @return {@code true} if it was written
		 */
		boolean send(Message message) {
			Connection current = this.connection;
			return current != null && current.write(Protocol.format(message));
		}

		/**
		 * Forget the process: its secret no longer works, its connection is closed.
		 */
		void unregister() {
			ControlChannel.this.registrations.remove(this.secret);
			Connection current = this.connection;
			if (current != null) {
				current.close();
			}
		}

	}

	/**
	 * One accepted connection.
	 */
	private final class Connection {

		private final SocketChannel channel;

		private final long openedAt = System.nanoTime();

		private final ByteBuffer buffer = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		private final ByteBuffer line = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		private @Nullable Registration registration;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

		void read() {
			try {
				this.buffer.clear();
				int read = this.channel.read(this.buffer);
				if (read < 0) {
					close();
					return;
				}
				this.buffer.flip();
				while (this.buffer.hasRemaining()) {
					byte b = this.buffer.get();
					if (b == '\n') {
						Message message = Protocol.parse(this.line.array(), this.line.position());
						this.line.clear();
						handle(message);
						if (!this.channel.isOpen()) {
							return;
						}
					}
					else if (this.line.hasRemaining()) {
						this.line.put(b);
					}
					else {
						throw new ProtocolException("line longer than " + (Protocol.MAX_LINE_LENGTH - 1) + " bytes");
					}
				}
			}
			catch (ProtocolException ex) {
				refuse(ex.getMessage());
			}
			catch (IOException ex) {
				close();
			}
		}

		private void handle(Message message) {
			Instant at = Instant.now();
			if (this.registration == null) {
				if (!(message instanceof Message.Hello hello)) {
					throw new ProtocolException("first message must be HELLO");
				}
				Registration known = ControlChannel.this.registrations.get(hello.secret());
				if (known == null || !ControlChannel.this.used.add(hello.secret())) {
					throw new ProtocolException((known == null) ? "unknown secret" : "secret already used");
				}
				this.registration = known;
				known.connection = this;
				ControlChannel.this.pending.remove(this);
				write(Protocol.format(Message.Ok.INSTANCE));
				return;
			}
			if (message instanceof Message.Hello || message instanceof Message.Stop || message instanceof Message.Ok
					|| message instanceof Message.Error) {
				throw new ProtocolException("unexpected " + message.getClass().getSimpleName().toUpperCase());
			}
			this.registration.listener.received(this.registration, message, at);
		}

		synchronized boolean write(String text) {
			ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			try {
				while (bytes.hasRemaining()) {
					if (this.channel.write(bytes) == 0) {
						// The worker does not read: never block the supervisor for it
						return false;
					}
				}
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		void refuse(String reason) {
			String who = (this.registration != null) ? this.registration.label : "an unidentified connection";
			logger.warn("Closing the control connection of " + who + ": " + reason);
			write(Protocol.format(new Message.Error(reason)));
			close();
		}

		void close() {
			ControlChannel.this.pending.remove(this);
			if (this.registration != null) {
				this.registration.closed.complete(null);
			}
			try {
				this.channel.close();
			}
			catch (ClosedChannelException ex) {
				// closed already
			}
			catch (IOException ex) {
				logger.debug("Could not close a control connection", ex);
			}
		}

	}

}
