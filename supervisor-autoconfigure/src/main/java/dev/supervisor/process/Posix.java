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

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The few POSIX calls the supervisor makes itself when the JVM lets it: on JDK 22 or
 * later (the Foreign Function and Memory API), on Linux with glibc 2.34 or later, and
 * with native access enabled for the application
 * ({@code --enable-native-access=ALL-UNNAMED} on the command line, or
 * {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest). A replica
 * is then started by {@code posix_spawnp} directly in a session of its own: one exec,
 * where the JDK needs two ({@code jspawnhelper}, then the command) and {@code setsid}
 * adds a third. Signals go to process groups by {@code kill(2)} rather than through a
 * {@code kill} process. The {@link ControlChannel control channel} learns which process
 * is at the other end of a connection ({@code getsockopt(SO_PEERCRED)}).
 * <p>
 * The API is reached by reflection, so this class compiles for Java 17 and on Java 17
 * simply reports itself unavailable. Without native access enabled it is not used at all,
 * so the JVM prints no warning about restricted methods.
 *
 * @author the supervisor authors
 */
final class Posix {

	private static final int POSIX_SPAWN_SETSIGDEF = 0x04;

	private static final int POSIX_SPAWN_SETSIGMASK = 0x08;

	private static final int POSIX_SPAWN_SETSID = 0x80;

	private static final int WNOHANG = 1;

	private static final int O_RDONLY = 0;

	private static final int O_WRONLY = 1;

	private static final int O_CLOEXEC = 0x80000;

	private static final short AF_UNIX = 1;

	private static final int SOL_SOCKET = 1;

	private static final int SO_ACCEPTCONN = 30;

	/** 17 on Linux's generic constants, 21 on PowerPC. */
	private static final int SO_PEERCRED = "ppc64le".equals(System.getProperty("os.arch")) ? 21 : 17;

	/** A {@code sockaddr_un}: the family and a path of at most 108 bytes. */
	private static final long SOCKADDR_UN_SIZE = 110;

	/** Room for glibc's posix_spawn_file_actions_t (80 bytes on 64-bit Linux). */
	private static final long FILE_ACTIONS_SIZE = 256;

	/** Room for glibc's posix_spawnattr_t (336 bytes on 64-bit Linux). */
	private static final long ATTRIBUTES_SIZE = 1024;

	/** Room for glibc's sigset_t (128 bytes). */
	private static final long SIGSET_SIZE = 256;

	private static final Set<String> GENERIC_ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64", "riscv64", "ppc64le",
			"s390x");

	private final Ffm ffm;

	private final MethodHandle fileActionsInit;

	private final MethodHandle fileActionsDestroy;

	private final MethodHandle addOpen;

	private final MethodHandle addDup2;

	private final MethodHandle addChdir;

	private final MethodHandle addCloseFrom;

	private final MethodHandle attributesInit;

	private final MethodHandle attributesDestroy;

	private final MethodHandle setFlags;

	private final MethodHandle setSigmask;

	private final MethodHandle setSigdefault;

	private final MethodHandle sigemptyset;

	private final MethodHandle sigfillset;

	private final MethodHandle spawnp;

	private final MethodHandle pipe2;

	private final MethodHandle close;

	private final MethodHandle waitpid;

	private final MethodHandle kill;

	private final MethodHandle getsockname;

	private final MethodHandle getsockopt;

	private Posix(Ffm ffm) throws ReflectiveOperationException {
		this.ffm = ffm;
		this.fileActionsInit = ffm.function("posix_spawn_file_actions_init", "p");
		this.fileActionsDestroy = ffm.function("posix_spawn_file_actions_destroy", "p");
		this.addOpen = ffm.function("posix_spawn_file_actions_addopen", "pipii");
		this.addDup2 = ffm.function("posix_spawn_file_actions_adddup2", "pii");
		this.addChdir = ffm.function("posix_spawn_file_actions_addchdir_np", "pp");
		this.addCloseFrom = ffm.function("posix_spawn_file_actions_addclosefrom_np", "pi");
		this.attributesInit = ffm.function("posix_spawnattr_init", "p");
		this.attributesDestroy = ffm.function("posix_spawnattr_destroy", "p");
		this.setFlags = ffm.function("posix_spawnattr_setflags", "ps");
		this.setSigmask = ffm.function("posix_spawnattr_setsigmask", "pp");
		this.setSigdefault = ffm.function("posix_spawnattr_setsigdefault", "pp");
		this.sigemptyset = ffm.function("sigemptyset", "p");
		this.sigfillset = ffm.function("sigfillset", "p");
		this.spawnp = ffm.function("posix_spawnp", "pppppp");
		this.pipe2 = ffm.function("pipe2", "pi");
		this.close = ffm.function("close", "i");
		this.waitpid = ffm.function("waitpid", "ipi");
		this.kill = ffm.function("kill", "ii");
		this.getsockname = ffm.function("getsockname", "ipp");
		this.getsockopt = ffm.function("getsockopt", "iiipp");
	}

	/**
	 * Return the calls, if this JVM and operating system allow them. The first call links
	 * them, which takes a few hundred milliseconds on JDK 22+ ({@link #prepare()} does it
	 * ahead).
	 * @return the calls or {@code null}
	 */
	static @Nullable Posix available() {
		return Probed.PROBE.posix();
	}

	/**
	 * Return why the calls are not available.
	 * @return the reason, or {@code null} if they are
	 */
	static @Nullable String unavailableReason() {
		return Probed.PROBE.reason();
	}

	/**
	 * Find out on a daemon thread whether the calls are available, and link them, so that
	 * a later {@link #available()} need not wait for it.
	 */
	static void prepare() {
		if (Runtime.version().feature() < 22) {
			return;
		}
		Thread thread = new Thread(Posix::available, "supervisor-native-access");
		thread.setDaemon(true);
		thread.start();
	}

	private static Probe probe() {
		if (Runtime.version().feature() < 22) {
			return new Probe(null, "Java " + Runtime.version().feature() + " has no Foreign Function API");
		}
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
			return new Probe(null, "not Linux");
		}
		if (!GENERIC_ARCHITECTURES.contains(System.getProperty("os.arch", ""))) {
			// Flag, signal and open() constants differ on a few older architectures
			return new Probe(null, "not a 64-bit architecture with Linux's generic constants");
		}
		try {
			Method enabled = Module.class.getMethod("isNativeAccessEnabled");
			if (!(Boolean) enabled.invoke(Posix.class.getModule())) {
				return new Probe(null, "native access is not enabled (--enable-native-access=ALL-UNNAMED)");
			}
			Ffm ffm = new Ffm();
			if (!ffm.has("gnu_get_libc_version") || !ffm.has("posix_spawn_file_actions_addclosefrom_np")) {
				return new Probe(null, "the C library is not glibc 2.34 or later");
			}
			return new Probe(new Posix(ffm), null);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return new Probe(null, "the Foreign Function API could not be used: " + ex);
		}
	}

	/**
	 * Start a process in a session and process group of its own, with standard input from
	 * {@code /dev/null}, no other descriptor of this JVM, no blocked signal and every
	 * signal's disposition at its default.
	 * @param command the program and its arguments; the program is looked up on this
	 * JVM's {@code PATH} unless it contains a slash, as {@link ProcessBuilder} does
	 * @param environment the whole environment of the process
	 * @param directory the working directory, or {@code null} for this JVM's
	 * @param output where standard output and error go
	 * @param separateErrors whether standard error gets a pipe of its own (with
	 * {@link OutputSpec.Mode#LOG})
	 * @return the process
	 * @throws IOException if it cannot be started
	 */
	Process spawn(List<String> command, Map<String, String> environment, @Nullable Path directory,
			OutputSpec.Mode output, boolean separateErrors) throws IOException {
		// The thread that waits for the child is started first: if it cannot be, nothing
		// was spawned
		SpawnedProcess.Waiter waiter = new SpawnedProcess.Waiter(this);
		boolean handedOver = false;
		// Every pipe end this call opens is closed by it, once: the child has its copies,
		// the streams their own descriptors
		List<Integer> opened = new ArrayList<>(4);
		try (Ffm.Memory memory = this.ffm.memory()) {
			int[] out = (output == OutputSpec.Mode.LOG) ? pipe(memory, opened) : null;
			int[] err = (out != null && separateErrors) ? pipe(memory, opened) : null;
			long actions = memory.allocate(FILE_ACTIONS_SIZE).address();
			long attributes = memory.allocate(ATTRIBUTES_SIZE).address();
			long mask = memory.allocate(SIGSET_SIZE).address();
			long defaults = memory.allocate(SIGSET_SIZE).address();
			check("posix_spawn_file_actions_init", call(this.fileActionsInit, actions));
			long pid;
			try {
				check("posix_spawnattr_init", call(this.attributesInit, attributes));
				try {
					long devNull = memory.string("/dev/null");
					check("addopen", call(this.addOpen, actions, 0, devNull, O_RDONLY, 0));
					if (out != null) {
						check("adddup2", call(this.addDup2, actions, out[1], 1));
						check("adddup2", call(this.addDup2, actions, (err != null) ? err[1] : out[1], 2));
					}
					else if (output == OutputSpec.Mode.DISCARD) {
						check("addopen", call(this.addOpen, actions, 1, devNull, O_WRONLY, 0));
						check("adddup2", call(this.addDup2, actions, 1, 2));
					}
					if (directory != null) {
						check("addchdir_np", call(this.addChdir, actions, memory.string(directory.toString())));
					}
					check("addclosefrom_np", call(this.addCloseFrom, actions, 3));
					// An empty mask, and every signal to its default: a signal this JVM
					// ignores (SIGINT after 'cmd &' in a script) would stay ignored
					check("sigemptyset", call(this.sigemptyset, mask));
					check("setsigmask", call(this.setSigmask, attributes, mask));
					check("sigfillset", call(this.sigfillset, defaults));
					check("setsigdefault", call(this.setSigdefault, attributes, defaults));
					check("setflags", call(this.setFlags, attributes,
							(short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
					Ffm.Block pidCell = memory.allocate(8);
					List<String> variables = environment.entrySet()
						.stream()
						.map((entry) -> entry.getKey() + "=" + entry.getValue())
						.toList();
					int error = call(this.spawnp, pidCell.address(), memory.string(command.get(0)), actions, attributes,
							memory.strings(command), memory.strings(variables));
					if (error != 0) {
						throw new IOException("Cannot run program \"" + command.get(0) + "\""
								+ ((directory != null) ? " (in directory \"" + directory + "\")" : "") + ": error="
								+ error + ", " + describe(error));
					}
					pid = memory.intAt(pidCell, 0);
				}
				finally {
					call(this.attributesDestroy, attributes);
				}
			}
			finally {
				call(this.fileActionsDestroy, actions);
			}
			// Opened while our own write ends are still open, so the open does not wait.
			// Should that fail, the child runs on: the caller finds it by its environment
			// and stops it through the ladder
			InputStream stdout = null;
			try {
				stdout = (out != null) ? reopen(out[0]) : InputStream.nullInputStream();
				InputStream stderr = (err != null) ? reopen(err[0]) : InputStream.nullInputStream();
				SpawnedProcess process = new SpawnedProcess(pid, stdout, stderr, waiter);
				handedOver = true;
				return process;
			}
			catch (IOException | RuntimeException | Error ex) {
				if (stdout != null) {
					stdout.close();
				}
				throw ex;
			}
		}
		finally {
			opened.forEach((fd) -> call(this.close, fd));
			if (!handedOver) {
				waiter.cancel();
			}
		}
	}

	/**
	 * Send a signal to a target that may already be gone; like the shell's
	 * {@code kill 2>/dev/null}, a failure is not reported.
	 * @param target the process or process group
	 * @param signal the signal
	 */
	void kill(SignalTarget target, Signal signal) {
		kill(target.group() ? -target.id() : target.id(), signal);
	}

	private void kill(long pid, Signal signal) {
		call(this.kill, (int) pid, number(signal));
	}

	/**
	 * Wait for a child to end and collect its status, so that it leaves no zombie.
	 * @param pid the child
	 * @return its exit code as {@link Process#exitValue()} reports it: the code, or 128
	 * plus the number of the signal that ended it; 255 if the status could not be had
	 */
	int waitpid(long pid) {
		try (Ffm.Memory memory = this.ffm.memory()) {
			Ffm.Block status = memory.allocate(8);
			// Retried only for an interrupted call
			for (int attempt = 0; attempt < 3; attempt++) {
				if (call(this.waitpid, (int) pid, status.address(), 0) == pid) {
					int raw = memory.intAt(status, 0);
					int signal = raw & 0x7f;
					return (signal == 0) ? (raw >> 8) & 0xff : 0x80 + signal;
				}
			}
			return 255;
		}
	}

	/**
	 * Collect the status of a child that has ended, if it has and nobody else did,
	 * without waiting.
	 * @param pid the child
	 */
	void reap(long pid) {
		try (Ffm.Memory memory = this.ffm.memory()) {
			call(this.waitpid, (int) pid, memory.allocate(8).address(), WNOHANG);
		}
	}

	/**
	 * Return, of the given descriptors, those that are connections accepted on the
	 * Unix-domain socket at the given path, with the process at the other end of each
	 * ({@code SO_PEERCRED}: the process that connected, as the kernel saw it).
	 * @param descriptors the descriptors to look at
	 * @param path the listening socket's path, as bytes
	 * @return the accepted connections among them
	 */
	List<Peer> acceptedConnections(int[] descriptors, byte[] path) {
		List<Peer> found = new ArrayList<>(1);
		try (Ffm.Memory memory = this.ffm.memory()) {
			Ffm.Block address = memory.allocate(SOCKADDR_UN_SIZE);
			Ffm.Block credentials = memory.allocate(16);
			Ffm.Block length = memory.allocate(8);
			for (int fd : descriptors) {
				memory.setIntAt(length, 0, (int) SOCKADDR_UN_SIZE);
				if (call(this.getsockname, fd, address.address(), length.address()) != 0
						|| !isPath(memory, address, memory.intAt(length, 0), path)) {
					continue;
				}
				memory.setIntAt(length, 0, 4);
				if (call(this.getsockopt, fd, SOL_SOCKET, SO_ACCEPTCONN, credentials.address(), length.address()) != 0
						|| memory.intAt(credentials, 0) != 0) {
					// The listening socket itself
					continue;
				}
				memory.setIntAt(length, 0, 12);
				if (call(this.getsockopt, fd, SOL_SOCKET, SO_PEERCRED, credentials.address(), length.address()) == 0) {
					found.add(new Peer(fd, memory.intAt(credentials, 0), memory.intAt(credentials, 4) & 0xffffffffL));
				}
			}
		}
		return found;
	}

	/**
	 * Return whether a {@code sockaddr_un} names the given path.
	 */
	private static boolean isPath(Ffm.Memory memory, Ffm.Block address, int length, byte[] path) {
		// sun_family, then the path, with or without its terminating NUL
		int pathLength = length - 2;
		if ((pathLength != path.length && pathLength != path.length + 1) || memory.shortAt(address, 0) != AF_UNIX) {
			return false;
		}
		for (int i = 0; i < path.length; i++) {
			if (memory.byteAt(address, 2 + i) != path[i]) {
				return false;
			}
		}
		return true;
	}

	private int[] pipe(Ffm.Memory memory, List<Integer> opened) throws IOException {
		Ffm.Block cells = memory.allocate(8);
		if (call(this.pipe2, cells.address(), O_CLOEXEC) != 0) {
			throw new IOException("Could not create a pipe for the process's output");
		}
		int[] ends = { memory.intAt(cells, 0), memory.intAt(cells, 4) };
		opened.add(ends[0]);
		opened.add(ends[1]);
		return ends;
	}

	/**
	 * Open the read end of a pipe as a stream. There is no public way to wrap a
	 * descriptor number, so the pipe is opened again through {@code /proc}; our own write
	 * end is still open then, so the open does not wait for a writer.
	 */
	private static InputStream reopen(int fd) throws IOException {
		return new FileInputStream("/proc/self/fd/" + fd);
	}

	private static int number(Signal signal) {
		return switch (signal) {
			case USR1 -> 10;
			case USR2 -> 12;
			default -> signal.number();
		};
	}

	private static void check(String function, int result) throws IOException {
		if (result != 0) {
			throw new IOException(function + " failed: error=" + result);
		}
	}

	private static String describe(int error) {
		return switch (error) {
			case 2 -> "No such file or directory";
			case 13 -> "Permission denied";
			case 8 -> "Exec format error";
			case 20 -> "Not a directory";
			case 7 -> "Argument list too long";
			case 12 -> "Cannot allocate memory";
			default -> "system error " + error;
		};
	}

	private static int call(MethodHandle function, Object... arguments) {
		return (int) Ffm.invoke(function, arguments);
	}

	private record Probe(@Nullable Posix posix, @Nullable String reason) {
	}

	/**
	 * The process at the other end of an accepted connection.
	 *
	 * @param fd the connection's descriptor in this process
	 * @param pid the process that connected
	 * @param uid its user
	 */
	record Peer(int fd, long pid, long uid) {
	}

	/**
	 * Holds the probe, made once, when first asked for.
	 */
	private static final class Probed {

		static final Probe PROBE = probe();

	}

	/**
	 * The part of the Foreign Function and Memory API this class uses, found by
	 * reflection. Every native function takes and returns {@code int}, {@code short} or a
	 * pointer, which is passed as a {@code long} address.
	 */
	static final class Ffm {

		private final Object linker;

		private final Object lookup;

		private final Method find;

		private final Method functionOf;

		private final Method downcall;

		private final Object noOptions;

		private final Class<?> memoryLayout;

		private final Object javaInt;

		private final Object javaLong;

		private final Object javaShort;

		private final MethodHandle ofConfined;

		private final MethodHandle closeArena;

		private final MethodHandle allocate;

		private final MethodHandle allocateString;

		private final MethodHandle address;

		private final MethodHandle setLong;

		private final MethodHandle getInt;

		private final MethodHandle setInt;

		private final MethodHandle getShort;

		private final MethodHandle getByte;

		private final Object javaByte;

		Ffm() throws ReflectiveOperationException {
			Class<?> linkerType = foreign("Linker");
			Class<?> lookupType = foreign("SymbolLookup");
			Class<?> descriptorType = foreign("FunctionDescriptor");
			Class<?> segmentType = foreign("MemorySegment");
			Class<?> optionType = foreign("Linker$Option");
			Class<?> valueLayout = foreign("ValueLayout");
			Class<?> arenaType = foreign("Arena");
			Class<?> allocatorType = foreign("SegmentAllocator");
			Class<?> ofLong = foreign("ValueLayout$OfLong");
			Class<?> ofInt = foreign("ValueLayout$OfInt");
			Class<?> ofShort = foreign("ValueLayout$OfShort");
			Class<?> ofByte = foreign("ValueLayout$OfByte");
			this.memoryLayout = foreign("MemoryLayout");
			this.linker = linkerType.getMethod("nativeLinker").invoke(null);
			this.lookup = linkerType.getMethod("defaultLookup").invoke(this.linker);
			this.find = lookupType.getMethod("find", String.class);
			this.functionOf = descriptorType.getMethod("of", this.memoryLayout,
					Array.newInstance(this.memoryLayout, 0).getClass());
			this.noOptions = Array.newInstance(optionType, 0);
			this.downcall = linkerType.getMethod("downcallHandle", segmentType, descriptorType,
					this.noOptions.getClass());
			this.javaInt = valueLayout.getField("JAVA_INT").get(null);
			this.javaLong = valueLayout.getField("JAVA_LONG").get(null);
			this.javaShort = valueLayout.getField("JAVA_SHORT").get(null);
			this.javaByte = valueLayout.getField("JAVA_BYTE").get(null);
			MethodHandles.Lookup api = MethodHandles.publicLookup();
			this.ofConfined = api.findStatic(arenaType, "ofConfined", MethodType.methodType(arenaType));
			this.closeArena = api.findVirtual(arenaType, "close", MethodType.methodType(void.class));
			this.allocate = api.findVirtual(allocatorType, "allocate",
					MethodType.methodType(segmentType, long.class, long.class));
			this.allocateString = api.findVirtual(allocatorType, "allocateFrom",
					MethodType.methodType(segmentType, String.class));
			this.address = api.findVirtual(segmentType, "address", MethodType.methodType(long.class));
			this.setLong = api.findVirtual(segmentType, "set",
					MethodType.methodType(void.class, ofLong, long.class, long.class));
			this.getInt = api.findVirtual(segmentType, "get", MethodType.methodType(int.class, ofInt, long.class));
			this.setInt = api.findVirtual(segmentType, "set",
					MethodType.methodType(void.class, ofInt, long.class, int.class));
			this.getShort = api.findVirtual(segmentType, "get",
					MethodType.methodType(short.class, ofShort, long.class));
			this.getByte = api.findVirtual(segmentType, "get", MethodType.methodType(byte.class, ofByte, long.class));
		}

		private static Class<?> foreign(String name) throws ClassNotFoundException {
			return Class.forName("java.lang.foreign." + name);
		}

		boolean has(String symbol) throws ReflectiveOperationException {
			return ((Optional<?>) this.find.invoke(this.lookup, symbol)).isPresent();
		}

		/**
		 * Link a C function returning {@code int}.
		 * @param name the symbol
		 * @param parameters one letter per parameter: {@code i} int, {@code s} short,
		 * {@code p} pointer
		 * @return a handle taking {@code int}, {@code short} and {@code long} arguments
		 */
		MethodHandle function(String name, String parameters) throws ReflectiveOperationException {
			Object symbol = ((Optional<?>) this.find.invoke(this.lookup, name))
				.orElseThrow(() -> new NoSuchMethodException("C function " + name));
			Object layouts = Array.newInstance(this.memoryLayout, parameters.length());
			for (int i = 0; i < parameters.length(); i++) {
				Array.set(layouts, i, switch (parameters.charAt(i)) {
					case 'i' -> this.javaInt;
					case 's' -> this.javaShort;
					default -> this.javaLong;
				});
			}
			Object descriptor = this.functionOf.invoke(null, this.javaInt, layouts);
			return (MethodHandle) this.downcall.invoke(this.linker, symbol, descriptor, this.noOptions);
		}

		Memory memory() {
			return new Memory(invoke(this.ofConfined));
		}

		private static Object invoke(MethodHandle handle, Object... arguments) {
			try {
				return handle.invokeWithArguments(arguments);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Native memory for one call, freed when closed.
		 */
		final class Memory implements AutoCloseable {

			private final Object arena;

			private Memory(Object arena) {
				this.arena = arena;
			}

			/**
			 * Allocate zeroed memory aligned for any C type.
			 * @param size the size in bytes
			 * @return the memory
			 */
			Block allocate(long size) {
				return block(invoke(Ffm.this.allocate, this.arena, size, 16L));
			}

			long string(String value) {
				return block(invoke(Ffm.this.allocateString, this.arena, value)).address();
			}

			/**
			 * Allocate a {@code NULL}-terminated array of C strings.
			 * @param values the strings
			 * @return the array's address
			 */
			long strings(List<String> values) {
				Block array = allocate(8L * (values.size() + 1));
				for (int i = 0; i < values.size(); i++) {
					invoke(Ffm.this.setLong, array.segment(), Ffm.this.javaLong, 8L * i, string(values.get(i)));
				}
				return array.address();
			}

			int intAt(Block block, long offset) {
				return (int) invoke(Ffm.this.getInt, block.segment(), Ffm.this.javaInt, offset);
			}

			void setIntAt(Block block, long offset, int value) {
				invoke(Ffm.this.setInt, block.segment(), Ffm.this.javaInt, offset, value);
			}

			short shortAt(Block block, long offset) {
				return (short) invoke(Ffm.this.getShort, block.segment(), Ffm.this.javaShort, offset);
			}

			byte byteAt(Block block, long offset) {
				return (byte) invoke(Ffm.this.getByte, block.segment(), Ffm.this.javaByte, offset);
			}

			private Block block(Object segment) {
				return new Block(segment, (long) invoke(Ffm.this.address, segment));
			}

			@Override
			public void close() {
				invoke(Ffm.this.closeArena, this.arena);
			}

		}

		/**
		 * A piece of native memory: the API's segment and its address.
		 *
		 * @param segment the {@code MemorySegment}
		 * @param address its address
		 */
		record Block(Object segment, long address) {

		}

	}

}
