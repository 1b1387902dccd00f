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
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.supervisor.shutdown.Deadline;
import dev.supervisor.test.NotifyWorker;
import dev.supervisor.test.Processes;
import dev.supervisor.test.TestJvm;
import dev.supervisor.worker.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the supervisor's end of the control channel against what other processes of
 * the same user can do to it: floods of connections, running out of file descriptors,
 * impostors that read a replica's secret, a supervisor that stops running for a while,
 * and a supervisor killed without cleaning up. The supervisor runs in a JVM of its own
 * ({@link ChannelJvm}), so that it can be stopped, starved and counted.
 *
 * @author the supervisor authors
 */
@EnabledOnOs(OS.LINUX)
class ControlChannelTests {

	/** Low enough that a flood exhausts it, high enough for a JVM and its class path. */
	private static final int FD_LIMIT = 256;

	private static final Pattern PIDS = Pattern.compile("PIDS ([\\d ]+)");

	private static final String CHANNEL_LOGGER = "dev.supervisor.process.ControlChannel -- ";

	@TempDir
	Path temp;

	@Test
	void floodOfConnectionsIsBoundedReleasedAndLoggedSparinglyWhileWorkersAreServed() throws Exception {
		flood(channelJvm("heartbeat=3000"));
	}

	@Test
	void floodOfConnectionsIsHandledAsWellWhereTheirProcessesAreTold() throws Exception {
		flood(nativeChannelJvm("heartbeat=3000"));
	}

	private void flood(TestJvm started) throws Exception {
		List<SocketChannel> flood = new CopyOnWriteArrayList<>();
		try (TestJvm jvm = started) {
			long replica = pids(jvm).get(0);
			Path socket = socket(jvm);
			int baseline = sockets(jvm.pid());
			// More connections than the supervisor has descriptors, held open and silent
			CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 2 * FD_LIMIT; i++) {
					try {
						flood.add(connect(socket));
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			try {
				flooding.get(30, TimeUnit.SECONDS);
			}
			finally {
				flooding.cancel(true);
			}
			// Only a bounded number of them holds a descriptor of the supervisor (one
			// just closed may wait for the channel's next turn)
			await().atMost(Duration.ofSeconds(2))
				.until(() -> sockets(jvm.pid()) <= baseline + ControlChannel.MAX_UNIDENTIFIED);
			// A new worker is served meanwhile
			command(jvm, "restart");
			long replacement = awaitReady(jvm, replica);
			assertThat(replacement).isNotEqualTo(replica);
			// The attacker leaves: every connection it had is released at once
			for (SocketChannel channel : flood) {
				channel.close();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> sockets(jvm.pid()) <= baseline);
			// The first few refusals are logged, the rest are counted
			await().atMost(ControlChannel.LOG_PERIOD.plusSeconds(5))
				.until(() -> jvm.output().contains("more control connection(s) in the last"));
			assertThat(count(jvm.output(), Pattern.compile("WARN " + Pattern.quote(CHANNEL_LOGGER)))).as(jvm.output())
				.isLessThanOrEqualTo(8);
			assertThat(jvm.output()).contains("Refused a control connection from ")
				.doesNotContain("The control channel failed")
				.doesNotContain("unhealthy")
				.doesNotContain("RESTARTING UNHEALTHY");
		}
		finally {
			for (SocketChannel channel : flood) {
				channel.close();
			}
		}
	}

	@Test
	void channelKeepsServingAfterItRanOutOfDescriptors() throws Exception {
		try (TestJvm jvm = channelJvm()) {
			long replica = pids(jvm).get(0);
			Path socket = socket(jvm);
			assertThat(hello(socket, "0".repeat(32))).isEqualTo("ERROR unknown secret");
			command(jvm, "hog");
			jvm.awaitOutput("HOGGED");
			try (SocketChannel waiting = connect(socket)) {
				write(waiting, "HELLO " + "1".repeat(32) + "\n");
				jvm.awaitOutput("The control channel cannot accept a connection");
				command(jvm, "release");
				jvm.awaitOutput("RELEASED");
				// It was kept waiting, not dropped, and is answered now
				assertThat(answer(waiting)).isEqualTo("ERROR unknown secret");
			}
			command(jvm, "restart");
			assertThat(awaitReady(jvm, replica)).isNotEqualTo(replica);
			assertThat(count(jvm.output(), Pattern.compile("cannot accept a connection"))).isOne();
			assertThat(jvm.output()).contains("The control channel accepts connections again")
				.doesNotContain("The control channel failed");
		}
	}

	@Test
	void supervisorThatDidNotRunForThreeHeartbeatTimeoutsRestartsNoHealthyReplica() throws Exception {
		try (TestJvm jvm = channelJvm("heartbeat=1200", "replicas=2")) {
			List<Long> replicas = pids(jvm);
			// The workers go on sending heartbeats into the socket while it is stopped
			pause(jvm.pid(), Duration.ofMillis(3600));
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(4))
				.until(() -> !jvm.output().contains("unhealthy"));
			assertThat(jvm.output()).doesNotContain("RESTARTING");
			// A replica that really stops sending heartbeats is still found out
			signal("STOP", replicas.get(1));
			jvm.awaitOutput("RESTARTING UNHEALTHY");
			assertThat(jvm.output()).contains("(pid " + replicas.get(1) + ") is unhealthy (no heartbeat for")
				.doesNotContain("(pid " + replicas.get(0) + ") is unhealthy");
		}
	}

	@Test
	void replicasFrozenWithTheSupervisorGetAWholeTimeoutOnceItRunsAgain() throws Exception {
		try (TestJvm jvm = channelJvm("heartbeat=1200", "replicas=2")) {
			List<Long> replicas = pids(jvm);
			List<Long> everything = new ArrayList<>(replicas);
			everything.add(jvm.pid());
			// A frozen machine: nobody sends, nobody reads; the supervisor wakes up first
			signal("STOP", everything.stream().mapToLong(Long::longValue).toArray());
			try {
				await().during(Duration.ofMillis(3600))
					.atMost(Duration.ofSeconds(10))
					.until(() -> state(jvm.pid()) == 'T');
				signal("CONT", jvm.pid());
				await().during(Duration.ofMillis(400))
					.atMost(Duration.ofSeconds(2))
					.until(() -> !jvm.output().contains("unhealthy"));
			}
			finally {
				signal("CONT", replicas.stream().mapToLong(Long::longValue).toArray());
				signal("CONT", jvm.pid());
			}
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(4))
				.until(() -> !jvm.output().contains("unhealthy"));
			assertThat(jvm.output()).doesNotContain("RESTARTING");
		}
	}

	@Test
	void impostorWithAReplicasSecretIsRefusedAndTheReplicaStillConnects() throws Exception {
		Path gate = fifo();
		try (TestJvm jvm = nativeChannelJvm("gate=" + gate)) {
			long replica = started(jvm);
			// Read from the environment of the starting replica, as any process of the
			// user can, and used before the replica's worker connects
			String secret = variable(replica, Protocol.SECRET);
			Path socket = Path.of(variable(replica, Protocol.SOCKET));
			try (SocketChannel impostor = connect(socket)) {
				write(impostor, "HELLO " + secret + "\nREADY\nSTATUS=owned\n");
				assertThat(answer(impostor)).isEqualTo("ERROR pid " + ProcessHandle.current().pid()
						+ " is neither the replica's process (pid " + replica + ") nor one of its descendants");
			}
			assertThat(jvm.output()).contains("Refused a control connection from pid " + ProcessHandle.current().pid()
					+ ", user " + System.getProperty("user.name") + " claiming to be worker 'notified' replica 0");
			assertThat(jvm.output()).doesNotContain("EVENT READY");
			// The secret is not used up: the replica's own worker, its child, connects
			open(gate);
			assertThat(awaitReady(jvm, -1)).isEqualTo(replica);
			assertThat(jvm.output()).doesNotContain("secret already used");
		}
	}

	@Test
	void processOfAnotherUserIsRefusedEvenWithTheSecret() throws Exception {
		assumeThat(System.getProperty("user.name")).as("root, to run a process as another user").isEqualTo("root");
		Path setpriv = Path.of("/usr/bin/setpriv");
		assumeThat(Files.isExecutable(setpriv)).as("setpriv").isTrue();
		Path gate = fifo();
		List<String> command = new ArrayList<>(
				List.of("sh", "-c", "read go < \"$0\"; \"$@\"; exit $?", gate.toString()));
		command.addAll(JavaCommand.of(NotifyWorker.class.getName(), List.of("-Xmx32m"), List.of()));
		WorkerSpec spec = WorkerSpec.builder("guarded", command)
			.readiness(new Readiness.Notify())
			.startupTimeout(Duration.ofSeconds(60))
			.build();
		try (TestSupervisors supervisors = new TestSupervisors()) {
			Supervisor supervisor = supervisors.create(spec);
			CompletableFuture<Void> started = supervisor.start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !supervisors.events(SupervisorEvent.ReplicaStarted.class).isEmpty());
			long replica = supervisors.events(SupervisorEvent.ReplicaStarted.class).get(0).pid();
			// The directory keeps other users out; opened up, the socket still does
			Path socket = supervisor.controlChannel().socket();
			Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
			Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
			Path output = this.temp.resolve("impostor.log");
			List<String> impostor = new ArrayList<>(
					List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
			impostor.addAll(JavaCommand.of(NotifyWorker.class.getName(), List.of("-Xmx32m"), List.of()));
			ProcessBuilder builder = new ProcessBuilder(impostor).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			builder.environment().put(Protocol.SOCKET, socket.toString());
			builder.environment().put(Protocol.SECRET, variable(replica, Protocol.SECRET));
			Process process = builder.start();
			try {
				assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
				assertThat(Files.readString(output)).contains("it runs as user nobody, not as root");
			}
			finally {
				process.destroyForcibly();
			}
			open(gate);
			started.get(30, TimeUnit.SECONDS);
			assertThat(supervisor.snapshot("guarded").replicas().get(0).pid()).isEqualTo(replica);
		}
	}

	@Test
	void directoryOfAKilledSupervisorIsRemovedByTheNextStartOfTheSameApplication() throws Exception {
		String identity = "channel-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
		Path killed;
		long owner;
		long ownerStart;
		try (TestJvm jvm = channelJvm("identity=" + identity)) {
			List<Long> replicas = pids(jvm);
			killed = socket(jvm).getParent();
			owner = jvm.pid();
			ownerStart = Processes.startTime(owner);
			jvm.process().destroyForcibly();
			jvm.awaitExit(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> replicas.stream().noneMatch(Processes::isAlive));
		}
		assertThat(killed).isDirectory();
		Path tmp = killed.getParent();
		long self = ProcessHandle.current().pid();
		List<Path> kept = List.of(
				lookAlike(tmp.resolve("supervisor-" + self + "-" + Processes.startTime(self) + "-1"), identity),
				lookAlike(tmp.resolve("supervisor-" + owner + "-" + ownerStart + "-2"), identity + "-other"),
				lookAlike(tmp.resolve("supervisor-" + owner + "-" + ownerStart + "-3"), identity),
				lookAlike(tmp.resolve("supervisor-" + owner + "-" + ownerStart + "-4"), identity));
		try {
			// Live owner, other identity, something not ours inside, another user's
			Files.writeString(kept.get(2).resolve("notes.txt"), "mine");
			Files.setOwner(kept.get(3),
					tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
			WorkerSpec spec = WorkerSpec
				.builder("notified", JavaCommand.of(NotifyWorker.class.getName(), List.of("-Xmx32m"), List.of()))
				.readiness(new Readiness.Notify())
				.build();
			try (Supervisor supervisor = new Supervisor(List.of(spec),
					SupervisorOptions.defaults().withIdentity(identity))) {
				Path socket = supervisor.controlChannel().socket();
				// Served only once the directories were looked through
				assertThat(hello(socket, "0".repeat(32))).isEqualTo("ERROR unknown secret");
				assertThat(killed).doesNotExist();
				assertThat(kept).allSatisfy((directory) -> assertThat(directory).isDirectory());
				supervisor.stop(Deadline.after(Duration.ofSeconds(2))).join();
			}
		}
		finally {
			for (Path directory : kept) {
				try (var entries = Files.list(directory)) {
					for (Path entry : entries.toList()) {
						Files.delete(entry);
					}
				}
				Files.delete(directory);
			}
		}
	}

	/**
	 * Start a supervisor on the tests' JDK, granted native access if it can have it.
	 */
	private TestJvm channelJvm(String... args) throws IOException {
		return channelJvm(JavaCommand.javaExecutable(), Runtime.version().feature() >= 22, args);
	}

	/**
	 * Start a supervisor that tells which process connects: on JDK 22 or later, with
	 * native access.
	 */
	private TestJvm nativeChannelJvm(String... args) throws IOException {
		Path java = TestJvm.jdk(22);
		assumeThat(java).as("a JDK 22 or later on this machine").isNotNull();
		TestJvm jvm = channelJvm(java, true, args);
		if (!jvm.output().contains("NATIVE yes")) {
			jvm.close();
			// Native access granted, the machine's C library may still lack what is used
			assumeThat(jvm.output()).as("native calls usable on this machine")
				.doesNotContain("C library is not", "not a 64-bit architecture");
			assertThat(jvm.output()).contains("NATIVE yes");
		}
		return jvm;
	}

	private TestJvm channelJvm(Path java, boolean nativeAccess, String... args) throws IOException {
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
		if (nativeAccess) {
			jvmArgs.add("--enable-native-access=ALL-UNNAMED");
		}
		List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + FD_LIMIT + "; exec \"$@\"", "sh"));
		command.addAll(JavaCommand.of(ChannelJvm.class.getName(), jvmArgs, List.of(args)));
		command.set(4, java.toString());
		TestJvm jvm = TestJvm.start(command, this.temp.resolve("jvm-" + System.nanoTime() + ".log"));
		try {
			jvm.awaitOutput("SOCKET ");
			if (List.of(args).stream().noneMatch((arg) -> arg.startsWith("gate="))) {
				jvm.awaitOutput("PIDS ");
			}
			return jvm;
		}
		catch (RuntimeException | Error ex) {
			jvm.close();
			throw ex;
		}
	}

	private static List<Long> pids(TestJvm jvm) {
		Matcher pids = PIDS.matcher(jvm.output());
		assertThat(pids.find()).isTrue();
		return List.of(pids.group(1).trim().split(" ")).stream().map(Long::valueOf).toList();
	}

	private static Path socket(TestJvm jvm) {
		Matcher socket = Pattern.compile("SOCKET (\\S+)").matcher(jvm.output());
		assertThat(socket.find()).isTrue();
		return Path.of(socket.group(1));
	}

	private static long started(TestJvm jvm) {
		jvm.awaitOutput("EVENT STARTED ");
		Matcher started = Pattern.compile("EVENT STARTED (\\d+)").matcher(jvm.output());
		assertThat(started.find()).isTrue();
		return Long.parseLong(started.group(1));
	}

	/**
	 * Wait for a replica other than the given one to be ready, and return its pid.
	 */
	private static long awaitReady(TestJvm jvm, long other) {
		Pattern ready = Pattern.compile("EVENT READY (\\d+)");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			Matcher matcher = ready.matcher(jvm.output());
			while (matcher.find()) {
				if (Long.parseLong(matcher.group(1)) != other) {
					return true;
				}
			}
			return !jvm.process().isAlive();
		});
		Matcher matcher = ready.matcher(jvm.output());
		while (matcher.find()) {
			if (Long.parseLong(matcher.group(1)) != other) {
				return Long.parseLong(matcher.group(1));
			}
		}
		throw new AssertionError("No replica became ready:\n" + jvm.output());
	}

	private static void command(TestJvm jvm, String line) throws IOException {
		OutputStream input = jvm.process().getOutputStream();
		input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		input.flush();
	}

	private static int sockets(long pid) {
		return (int) Processes.descriptors(pid)
			.values()
			.stream()
			.filter((target) -> target.startsWith("socket:"))
			.count();
	}

	private static int count(String text, Pattern pattern) {
		Matcher matcher = pattern.matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private static void pause(long pid, Duration duration) throws Exception {
		signal("STOP", pid);
		try {
			await().during(duration).atMost(duration.plusSeconds(5)).until(() -> state(pid) == 'T');
		}
		finally {
			signal("CONT", pid);
		}
	}

	/**
	 * Return the state letter of a process, {@code T} when it is stopped.
	 */
	private static char state(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2);
		}
		catch (IOException ex) {
			return '?';
		}
	}

	private static void signal(String signal, long... pids) throws Exception {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		for (long pid : pids) {
			command.add(Long.toString(pid));
		}
		Process kill = new ProcessBuilder(command).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
	}

	private Path fifo() throws Exception {
		Path fifo = this.temp.resolve("gate");
		Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(mkfifo.exitValue()).isZero();
		return fifo;
	}

	/**
	 * Let the replica waiting on the FIFO go on, through a shell that cannot block the
	 * test for longer than its bound.
	 */
	private static void open(Path gate) throws Exception {
		Process echo = new ProcessBuilder("sh", "-c", "echo go > \"$0\"", gate.toString()).inheritIO().start();
		try {
			assertThat(echo.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			echo.destroyForcibly();
		}
	}

	private static String variable(long pid, String name) {
		return List.of(Processes.environment(pid).split("\0"))
			.stream()
			.filter((variable) -> variable.startsWith(name + "="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + name + " in the environment of " + pid))
			.substring(name.length() + 1);
	}

	private static Path lookAlike(Path directory, String identity) throws IOException {
		Files.createDirectory(directory,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Files.writeString(directory.resolve("identity"), identity);
		Files.createFile(directory.resolve("control.sock"));
		return directory;
	}

	private static String hello(Path socket, String secret) throws IOException {
		try (SocketChannel channel = connect(socket)) {
			write(channel, "HELLO " + secret + "\n");
			return answer(channel);
		}
	}

	private static SocketChannel connect(Path socket) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(socket));
		return channel;
	}

	private static void write(SocketChannel channel, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/**
	 * Return the first line the supervisor sends, waiting a bounded time for it.
	 */
	private static String answer(SocketChannel channel) throws IOException {
		channel.configureBlocking(false);
		ByteBuffer buffer = ByteBuffer.allocate(Protocol.MAX_LINE_LENGTH);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			int read = channel.read(buffer);
			return read < 0 || new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).contains("\n");
		});
		String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
		return text.contains("\n") ? text.substring(0, text.indexOf('\n')) : text;
	}

}
