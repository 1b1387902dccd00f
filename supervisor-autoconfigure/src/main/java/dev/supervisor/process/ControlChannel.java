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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.worker.Protocol;
import dev.supervisor.worker.Protocol.Message;
import dev.supervisor.worker.Protocol.ProtocolException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervisor's end of the control protocol ({@link Protocol}): a Unix-domain socket
 * in a directory only this user can open, served by one thread for all workers.
 * <p>
 * Who may speak for a replica: each process gets a secret of its own, valid for one
 * connection, and the connecting process must run as this user ({@code SO_PEERCRED}).
 * Where the JVM makes the system calls itself (JDK 22+ with native access, see
 * {@link Posix}) the connecting process must also be the replica or one of its
 * descendants, so that a process that read the secret from a starting replica's
 * environment cannot connect in its place. A refused claim does not use the secret up.
 * <p>
 * What other processes of this user can do to it is bounded: at most
 * {@value #MAX_UNIDENTIFIED} connections that have not presented a known secret are kept
 * (a new one closes the oldest); a failed accept, such as for want of file descriptors,
 * is retried with back-off; every closed connection is released at once; and refusals are
 * logged a few times per {@link #LOG_PERIOD}, then summed up.
 * <p>
 * The directory is named after the JVM that owns it ({@code pid-starttime}) and records
 * the application's identity, so that a later start removes what a killed one left.
 *
 * @author the supervisor authors
 */
final class ControlChannel implements AutoCloseable {

	/** The most connections kept open that have not presented a known secret. */
	static final int MAX_UNIDENTIFIED = 64;

	/** How often refusals are logged line by line before they are only counted. */
	static final Duration LOG_PERIOD = Duration.ofSeconds(10);

	private static final int LOG_LINES_PER_PERIOD = 3;

	private static final Duration MAX_ACCEPT_BACKOFF = Duration.ofSeconds(1);

	private static final int ACCEPTS_PER_ROUND = 16;

	private static final String PREFIX = "supervisor-";

	private static final Pattern DIRECTORY = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-\\d+");

	private static final String SOCKET = "control.sock";

	private static final String IDENTITY = "identity";

	private static final Log logger = LogFactory.getLog(ControlChannel.class);

	private static final SecureRandom random = new SecureRandom();

	private final Path directory;

	private final Path socket;

	private final @Nullable String identity;

	private final @Nullable UserPrincipal user;

	private final @Nullable Posix posix;

	private final ServerSocketChannel server;

	private final Selector selector;

	private final SelectionKey serverKey;

	private final Thread thread;

	private final Map<String, Registration> registrations = new ConcurrentHashMap<>();

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	// Everything below is only touched by the channel's thread

	private final Set<String> used = new HashSet<>();

	private final Set<Connection> unidentified = new LinkedHashSet<>();

	private final Set<Connection> awaiting = new LinkedHashSet<>();

	private final Set<Integer> descriptors = new HashSet<>();

	private final Set<Integer> releasing = new HashSet<>();

	private final RefusalLog refusals = new RefusalLog();

	private int acceptFailures;

	private boolean backingOff;

	private long acceptAgainAt;

	private volatile boolean closed;

	private ControlChannel(Path directory, @Nullable String identity, @Nullable Posix posix) throws IOException {
		this.directory = directory;
		this.socket = directory.resolve(SOCKET);
		this.identity = identity;
		this.user = owner(directory);
		this.posix = (posix != null && Files.isDirectory(Path.of("/proc/self/fd"))) ? posix : null;
		if (identity != null) {
			Files.writeString(directory.resolve(IDENTITY), identity, StandardCharsets.UTF_8);
		}
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socket));
		this.server.configureBlocking(false);
		this.selector = Selector.open();
		this.serverKey = this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		this.thread = new Thread(this::serve, "supervisor-control");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Open a channel in a new private directory, and remove the directories that JVMs of
	 * this user and application which are gone left behind.
	 * @param owner this JVM, {@code pid:start-time} (or the pid alone)
	 * @param identity the application's identity, or {@code null}
	 * @param posix the native calls that tell which process connected, or {@code null}
	 * @param whyNoProcessCheck why they are not there, for a debug line
	 * @return the channel
	 * @throws IOException if it cannot be opened
	 */
	static ControlChannel open(String owner, @Nullable String identity, @Nullable Posix posix,
			Supplier<String> whyNoProcessCheck) throws IOException {
		String[] parts = owner.split(":");
		String prefix = PREFIX + parts[0] + "-" + ((parts.length > 1) ? parts[1] : "0") + "-";
		Path directory;
		try {
			directory = Files.createTempDirectory(prefix,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the user's temp directory is private
			// already
			directory = Files.createTempDirectory(prefix);
		}
		ControlChannel channel = new ControlChannel(directory, identity, posix);
		if (channel.posix == null && logger.isDebugEnabled()) {
			logger.debug("Control connections are checked by secret and user only, not by process: a process of "
					+ "this user that reads a starting replica's secret can connect in its place ("
					+ whyNoProcessCheck.get() + ")");
		}
		return channel;
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

	/**
	 * Read everything that has arrived on every connection and hand it to the listeners
	 * before completing. A listener that passes messages on to another executor has done
	 * so by then.
	 * @return a future completing once that is done
	 */
	CompletableFuture<Void> drain() {
		CompletableFuture<Void> drained = new CompletableFuture<>();
		if (!submit(() -> {
			try {
				// A few rounds: a connection with more than a buffer's worth waiting is
				// selected again
				for (int round = 0; round < 4 && this.selector.selectNow() > 0; round++) {
					this.releasing.clear();
					handleSelected();
				}
			}
			catch (IOException ex) {
				logger.debug("Could not read what is waiting on the control channel", ex);
			}
			finally {
				drained.complete(null);
			}
		})) {
			drained.complete(null);
		}
		return drained;
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
			Files.deleteIfExists(this.socket);
			Files.deleteIfExists(this.directory.resolve(IDENTITY));
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + this.directory, ex);
		}
	}

	private boolean submit(Runnable task) {
		if (this.closed) {
			return false;
		}
		this.tasks.add(task);
		this.selector.wakeup();
		return true;
	}

	private void serve() {
		removeStaleDirectories();
		try {
			while (!this.closed) {
				this.selector.select(timeout());
				// The select released the descriptors of connections closed before it
				this.releasing.clear();
				handleSelected();
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					task.run();
				}
				long now = now();
				resumeAccepting(now);
				expire(now);
				this.refusals.summarize(now);
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
			try {
				this.server.close();
				// Releases what the closed connections still held
				this.selector.close();
			}
			catch (IOException ex) {
				logger.debug("Could not close the control channel", ex);
			}
		}
	}

	/**
	 * Return how long the next select may wait: until the next silent connection may
	 * expire, accepting resumes, or refusals are due to be summed up.
	 */
	private long timeout() {
		long now = now();
		long next = Long.MAX_VALUE;
		if (!this.unidentified.isEmpty() || !this.awaiting.isEmpty()) {
			next = Protocol.HELLO_TIMEOUT.toNanos() / 5;
		}
		if (this.backingOff) {
			next = Math.min(next, this.acceptAgainAt - now);
		}
		next = Math.min(next, this.refusals.dueIn(now));
		return (next == Long.MAX_VALUE) ? 0 : Math.max(1, Duration.ofNanos(next).toMillis() + 1);
	}

	private void handleSelected() {
		Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
		while (keys.hasNext()) {
			SelectionKey key = keys.next();
			keys.remove();
			if (!key.isValid()) {
				continue;
			}
			if (key == this.serverKey) {
				acceptWaiting();
			}
			else if (key.attachment() instanceof Connection connection) {
				try {
					connection.read();
				}
				catch (RuntimeException ex) {
					// A mistake of ours; the other connections go on
					logger.error("Closing a control connection after a failure", ex);
					connection.close();
				}
			}
		}
	}

	private void acceptWaiting() {
		for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
			SocketChannel channel;
			try {
				channel = this.server.accept();
			}
			catch (IOException ex) {
				acceptFailed(ex);
				return;
			}
			if (channel == null) {
				return;
			}
			if (this.acceptFailures > 0) {
				logger.info("The control channel accepts connections again, after " + this.acceptFailures
						+ " failed attempt(s)");
				this.acceptFailures = 0;
			}
			try {
				admit(channel);
			}
			catch (IOException ex) {
				logger.debug("Could not take a control connection", ex);
				closeQuietly(channel);
			}
		}
	}

	/**
	 * The connection waiting stays in the queue: try again later rather than at once, as
	 * a selector would report it again and again.
	 */
	private void acceptFailed(IOException ex) {
		this.acceptFailures++;
		if (this.acceptFailures == 1) {
			logger.warn("The control channel cannot accept a connection (" + ex.getMessage()
					+ "); it tries again, backing off up to " + MAX_ACCEPT_BACKOFF.toMillis()
					+ "ms, and workers connecting meanwhile wait");
		}
		long backoff = Math.min(MAX_ACCEPT_BACKOFF.toNanos(),
				Duration.ofMillis(10).toNanos() << Math.min(this.acceptFailures - 1, 10));
		this.backingOff = true;
		this.acceptAgainAt = now() + backoff;
		this.serverKey.interestOps(0);
	}

	private void resumeAccepting(long now) {
		if (this.backingOff && now - this.acceptAgainAt >= 0) {
			this.backingOff = false;
			this.serverKey.interestOps(SelectionKey.OP_ACCEPT);
		}
	}

	/**
	 * Take an accepted connection, unless the process behind it cannot be told where it
	 * should be.
	 */
	private void admit(SocketChannel channel) throws IOException {
		channel.configureBlocking(false);
		Connection connection = new Connection(channel, now());
		if (this.posix != null && !identify(connection, this.posix)) {
			// Closed at once, as it is not registered: every open connection's descriptor
			// stays known, which is how the next one is told apart
			this.refusals.log("its process could not be told",
					() -> "Refused a control connection: its process could not be told");
			closeQuietly(channel);
			return;
		}
		connection.key = channel.register(this.selector, SelectionKey.OP_READ, connection);
		this.unidentified.add(connection);
		// A worker says HELLO as soon as it is connected: answer it before more come
		connection.read();
		if (this.unidentified.size() > MAX_UNIDENTIFIED) {
			this.unidentified.iterator()
				.next()
				.refuse("more than " + MAX_UNIDENTIFIED + " connections had not said HELLO; the oldest is closed");
		}
	}

	/**
	 * Find the descriptor of a connection just accepted, and who connected. It is the one
	 * connection accepted on our socket that we do not know yet: only this thread accepts
	 * on it, and every other one is known or closed by this thread.
	 */
	private boolean identify(Connection connection, Posix posix) {
		List<Integer> candidates = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path entry : entries) {
				Integer fd = Integer.valueOf(entry.getFileName().toString());
				if (!this.descriptors.contains(fd) && !this.releasing.contains(fd)) {
					candidates.add(fd);
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Could not list this process's descriptors", ex);
			return false;
		}
		List<Posix.Peer> found = posix.acceptedConnections(candidates.stream().mapToInt(Integer::intValue).toArray(),
				this.socket.toString().getBytes(StandardCharsets.UTF_8));
		if (found.size() != 1) {
			logger.debug("Could not tell which process connected to the control channel: " + found.size()
					+ " unknown connections found");
			return false;
		}
		connection.fd = found.get(0).fd();
		connection.pid = found.get(0).pid();
		this.descriptors.add(connection.fd);
		return true;
	}

	private void expire(long now) {
		long timeout = Protocol.HELLO_TIMEOUT.toNanos();
		for (Set<Connection> connections : List.of(this.unidentified, this.awaiting)) {
			for (Connection connection : List.copyOf(connections)) {
				if (now - connection.openedAt < timeout) {
					continue;
				}
				connection.refuse((connection.claimed != null)
						? "its replica's process was not known within " + Protocol.HELLO_TIMEOUT.toSeconds() + "s"
						: "no HELLO within " + Protocol.HELLO_TIMEOUT.toSeconds() + "s");
			}
		}
	}

	/**
	 * Remove the directories of JVMs of this user that are gone, with this application's
	 * identity. A directory is left alone unless everything about it is as this class
	 * makes it.
	 */
	private void removeStaleDirectories() {
		Path parent = this.directory.getParent();
		if (parent == null || this.user == null) {
			return;
		}
		List<Path> removed = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
			for (Path candidate : entries) {
				if (!candidate.equals(this.directory) && isStale(candidate) && removeDirectory(candidate)) {
					removed.add(candidate);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not look for control channel directories left behind in " + parent, ex);
		}
		if (!removed.isEmpty()) {
			logger.info("Removed " + removed.size()
					+ " control channel directory(ies) left behind by JVMs that are gone: " + removed);
		}
	}

	private boolean isStale(Path candidate) throws IOException {
		Matcher name = DIRECTORY.matcher(candidate.getFileName().toString());
		if (!name.matches()) {
			return false;
		}
		BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (!attributes.isDirectory() || !Objects.equals(this.user, owner(candidate))) {
			return false;
		}
		if (isAlive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
			return false;
		}
		Path identityFile = candidate.resolve(IDENTITY);
		String theirs = Files.isRegularFile(identityFile, LinkOption.NOFOLLOW_LINKS)
				? Files.readString(identityFile, StandardCharsets.UTF_8) : null;
		return Objects.equals(this.identity, theirs);
	}

	/**
	 * Return whether a process with that pid and start time runs. Without a start time,
	 * or without {@code /proc}, any process with the pid counts, so a reused pid keeps a
	 * directory rather than losing a live one.
	 */
	private static boolean isAlive(long pid, long startTime) {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		if (startTime == 0 || !Files.isDirectory(Path.of("/proc/self"))) {
			return ProcessHandle.of(pid).isPresent();
		}
		ProcessTable.Stat found = ProcessTable.stat(stat);
		return found != null && found.live() && found.startTime() == startTime;
	}

	/**
	 * Remove a directory if it holds nothing but what this class puts there.
	 */
	private static boolean removeDirectory(Path candidate) throws IOException {
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> children = Files.newDirectoryStream(candidate)) {
			for (Path child : children) {
				String name = child.getFileName().toString();
				if (!name.equals(SOCKET) && !name.equals(IDENTITY)) {
					return false;
				}
				entries.add(child);
			}
		}
		for (Path entry : entries) {
			Files.deleteIfExists(entry);
		}
		Files.deleteIfExists(candidate);
		return true;
	}

	private static @Nullable UserPrincipal owner(Path path) {
		try {
			return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null;
		}
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	/**
	 * Return the time on the monotonic clock; every time this class reads is read here.
	 */
	private static long now() {
		return System.nanoTime();
	}

	/**
	 * Receives the messages of one registered process.
	 */
	interface Listener {

		void received(Registration registration, Message message, Instant at);

	}

	/**
	 * A replica's process: the one that may connect with its secret, with its
	 * descendants.
	 *
	 * @param pid the process
	 * @param ownSession whether it leads a session of its own, so that the members of its
	 * process group are its descendants
	 */
	record Lineage(long pid, boolean ownSession) {

		boolean includes(long candidate) {
			if (candidate == this.pid) {
				return true;
			}
			ProcessTable.Stat stat = stat(candidate);
			if (stat != null && this.ownSession && stat.pgid() == this.pid) {
				return true;
			}
			// Its ancestors, up to the replica or to a process that is not below it
			for (int depth = 0; stat != null && depth < 64; depth++) {
				if (stat.ppid() == this.pid) {
					return true;
				}
				if (stat.ppid() <= 1) {
					return false;
				}
				stat = stat(stat.ppid());
			}
			return false;
		}

		private static ProcessTable.@Nullable Stat stat(long pid) {
			ProcessTable.Stat stat = ProcessTable.stat(Path.of("/proc", Long.toString(pid), "stat"));
			return (stat != null && stat.live()) ? stat : null;
		}

	}

	/**
	 * A process that may connect, with its secret.
	 */
	final class Registration {

		private final String secret;

		private final String label;

		private final Listener listener;

		private volatile @Nullable Connection connection;

		private volatile @Nullable Lineage lineage;

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
		 * Say which process was started with this registration's secret: only it, or a
		 * descendant, may connect with it where the connecting process can be told.
		 * @param pid the process
		 * @param ownSession whether it leads a session of its own
		 */
		void started(long pid, boolean ownSession) {
			this.lineage = new Lineage(pid, ownSession);
			submit(() -> {
				for (Connection waiting : List.copyOf(ControlChannel.this.awaiting)) {
					if (waiting.claimed == this) {
						waiting.authorize();
					}
				}
			});
		}

		/**
		 * Return a future that completes when the process's connection has ended and
		 * everything it sent was handed to the listener.
		 * @return the future
		 */
		CompletableFuture<Void> closed() {
			return this.closed;
		}

		/**
		 * Read what the process sent and hand it to the listener before completing.
		 * @return a future completing once that is done
		 * @see ControlChannel#drain()
		 */
		CompletableFuture<Void> drain() {
			return ControlChannel.this.drain();
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
			submit(() -> {
				Connection current = this.connection;
				if (current != null) {
					current.close();
				}
				for (Connection waiting : List.copyOf(ControlChannel.this.awaiting)) {
					if (waiting.claimed == this) {
						waiting.refuse("the replica is gone");
					}
				}
			});
		}

	}

	/**
	 * One accepted connection. Used on the channel's thread only, but for
	 * {@link #write(String)}.
	 */
	private final class Connection {

		private final SocketChannel channel;

		private final long openedAt;

		private final ByteBuffer input = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		private final ByteBuffer line = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);

		private @Nullable SelectionKey key;

		private int fd = -1;

		private long pid = -1;

		private @Nullable Registration claimed;

		private @Nullable Registration registration;

		private boolean waiting;

		private boolean closed;

		Connection(SocketChannel channel, long openedAt) {
			this.channel = channel;
			this.openedAt = openedAt;
			this.input.flip();
		}

		void read() {
			if (this.waiting || this.closed) {
				return;
			}
			try {
				this.input.clear();
				int read = this.channel.read(this.input);
				this.input.flip();
				if (read < 0) {
					close();
					return;
				}
				process();
			}
			catch (IOException ex) {
				close();
			}
		}

		/**
		 * Handle the complete lines read, unless the connection waits to be let in.
		 */
		private void process() {
			try {
				while (this.input.hasRemaining() && !this.waiting && !this.closed) {
					byte b = this.input.get();
					if (b == '\n') {
						Message message = Protocol.parse(this.line.array(), this.line.position());
						this.line.clear();
						handle(message);
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
		}

		private void handle(Message message) {
			Instant at = Instant.now();
			if (this.registration == null) {
				if (!(message instanceof Message.Hello hello)) {
					throw new ProtocolException("first message must be HELLO");
				}
				Registration known = ControlChannel.this.registrations.get(hello.secret());
				if (known == null) {
					throw new ProtocolException("unknown secret");
				}
				this.claimed = known;
				ControlChannel.this.unidentified.remove(this);
				authorize();
				return;
			}
			if (message instanceof Message.Hello || message instanceof Message.Stop || message instanceof Message.Ok
					|| message instanceof Message.Error) {
				throw new ProtocolException("unexpected " + message.getClass().getSimpleName().toUpperCase());
			}
			this.registration.listener.received(this.registration, message, at);
		}

		/**
		 * Let the connection speak for the registration it claimed, refuse it, or, if the
		 * process started with the secret is not known yet, wait for it.
		 */
		void authorize() {
			Registration known = this.claimed;
			if (known == null || this.closed) {
				return;
			}
			Lineage lineage = known.lineage;
			if (ControlChannel.this.posix != null && lineage == null) {
				// Its process connected before the spawn returned: wait, reading nothing
				this.waiting = true;
				ControlChannel.this.awaiting.add(this);
				interest(0);
				return;
			}
			ControlChannel.this.awaiting.remove(this);
			String refusal = refusal(lineage);
			if (refusal == null && ControlChannel.this.registrations.get(known.secret) != known) {
				refusal = "the replica is gone";
			}
			if (refusal == null && ControlChannel.this.used.contains(known.secret)) {
				refusal = "secret already used";
			}
			if (refusal != null) {
				// The secret stays valid for the process it belongs to
				refuse(refusal);
				return;
			}
			ControlChannel.this.used.add(known.secret);
			this.claimed = null;
			this.registration = known;
			known.connection = this;
			write(Protocol.format(Message.Ok.INSTANCE));
			if (this.waiting) {
				this.waiting = false;
				process();
				if (!this.closed) {
					interest(SelectionKey.OP_READ);
				}
			}
		}

		private @Nullable String refusal(@Nullable Lineage lineage) {
			UserPrincipal expected = ControlChannel.this.user;
			UserPrincipal peer = peerUser();
			if (expected != null && peer != null && !expected.equals(peer)) {
				return "it runs as user " + peer.getName() + ", not as " + expected.getName();
			}
			if (ControlChannel.this.posix != null && lineage != null) {
				if (this.pid < 0) {
					return "its process could not be told";
				}
				if (!lineage.includes(this.pid)) {
					return "pid " + this.pid + " is neither the replica's process (pid " + lineage.pid()
							+ ") nor one of its descendants";
				}
			}
			return null;
		}

		/**
		 * Return the user of the process that connected, if the JDK can tell.
		 */
		private @Nullable UserPrincipal peerUser() {
			try {
				UnixDomainPrincipal principal = this.channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
				return principal.user();
			}
			catch (IOException | UnsupportedOperationException ex) {
				return null;
			}
		}

		private String peer() {
			UserPrincipal user = peerUser();
			String who = (user != null) ? "user " + user.getName() : "an unknown user";
			return (this.pid >= 0) ? "pid " + this.pid + ", " + who : who;
		}

		private void interest(int operations) {
			if (this.key != null && this.key.isValid()) {
				this.key.interestOps(operations);
			}
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
			Registration current = this.registration;
			if (current != null) {
				logger
					.warn("Closing the control connection of worker " + current.label + " (" + peer() + "): " + reason);
			}
			else {
				Registration claim = this.claimed;
				ControlChannel.this.refusals.log(reason, () -> "Refused a control connection from " + peer()
						+ ((claim != null) ? " claiming to be worker " + claim.label : "") + ": " + reason);
			}
			write(Protocol.format(new Message.Error(reason)));
			close();
		}

		void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			ControlChannel.this.unidentified.remove(this);
			ControlChannel.this.awaiting.remove(this);
			if (this.fd >= 0) {
				// Open until the next select deregisters the channel
				ControlChannel.this.descriptors.remove(this.fd);
				ControlChannel.this.releasing.add(this.fd);
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
			if (this.registration != null) {
				this.registration.closed.complete(null);
			}
		}

	}

	/**
	 * Logs refusals of connections that never said who they are: the first few of a
	 * period line by line, the rest in one line when the period ends.
	 */
	private static final class RefusalLog {

		private boolean open;

		private long periodStart;

		private int logged;

		private int suppressed;

		private String lastReason = "";

		void log(String reason, Supplier<String> line) {
			long now = now();
			if (!this.open) {
				this.open = true;
				this.periodStart = now;
			}
			if (this.logged < LOG_LINES_PER_PERIOD) {
				this.logged++;
				logger.warn(line.get());
			}
			else {
				this.suppressed++;
				this.lastReason = reason;
			}
		}

		/**
		 * Return when the period ends, if anything is to be summed up then.
		 */
		long dueIn(long now) {
			return this.open ? this.periodStart + LOG_PERIOD.toNanos() - now : Long.MAX_VALUE;
		}

		void summarize(long now) {
			if (!this.open || dueIn(now) > 0) {
				return;
			}
			if (this.suppressed > 0) {
				logger.warn("Refused " + this.suppressed + " more control connection(s) in the last "
						+ LOG_PERIOD.toSeconds() + "s, the last because: " + this.lastReason);
			}
			this.open = false;
			this.logged = 0;
			this.suppressed = 0;
		}

	}

}
