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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.supervisor.process.SupervisorEvent.ReplicaExited;
import dev.supervisor.process.SupervisorEvent.ReplicaRestarting;
import dev.supervisor.test.NotifyWorker;
import dev.supervisor.test.Processes;
import dev.supervisor.test.TestWorker;
import dev.supervisor.worker.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the control protocol on real processes: notify readiness, heartbeats,
 * liveness, STOP, and connections that misbehave.
 *
 * @author the supervisor authors
 */
class NotifyTests {

	private static final List<String> JVM = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

	private static final Duration START = Duration.ofSeconds(30);

	private final TestSupervisors supervisors = new TestSupervisors();

	@AfterEach
	void close() {
		this.supervisors.close();
	}

	@Test
	void replicaIsReadyTheMomentItSaysSo() throws Exception {
		Supervisor supervisor = this.supervisors.create(notify("notified", "--ready-after=400").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !lines(supervisor, "notified", "sending READY at ").isEmpty());
		Instant sent = Instant.ofEpochMilli(Long.parseLong(lines(supervisor, "notified", "sending READY at ").get(0)));
		Instant ready = supervisor.find("notified").replicas().get(0).readyAt();
		assertThat(ready).isAfterOrEqualTo(sent).isBefore(sent.plusMillis(500));
		assertThat(Duration.between(supervisor.find("notified").replicas().get(0).startedAt(), ready))
			.isGreaterThanOrEqualTo(Duration.ofMillis(400));
	}

	@Test
	void replicaDyingRightAfterSayingReadyIsARuntimeDeathNeverAStartupFailure() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(notify("brief", "--die-after-ready=3").replicas(4).restart(RestartPolicy.NEVER).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(START).until(() -> this.supervisors.events(ReplicaExited.class).size() == 4);
		assertThat(this.supervisors.events(ReplicaExited.class)).allSatisfy((exited) -> {
			assertThat(exited.exit().startupFailure()).isFalse();
			assertThat(exited.exit().cause()).isEqualTo(ExitCause.CRASHED);
			assertThat(exited.exit().status().code()).isEqualTo(3);
		});
		assertThat(this.supervisors.events(SupervisorEvent.ReplicaReady.class)).hasSize(4);
	}

	@Test
	void replicaWhoseHeartbeatsStopIsRestartedAsUnhealthy() throws Exception {
		Supervisor supervisor = this.supervisors.create(
				notify("beating").heartbeatTimeout(Duration.ofMillis(900)).stopTimeout(Duration.ofMillis(600)).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long hung = supervisor.snapshot("beating").replicas().get(0).pid();
		// Heartbeats keep it healthy for longer than its timeout
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.supervisors.events(ReplicaRestarting.class).isEmpty());
		freeze(hung);
		await().atMost(START).until(() -> {
			ReplicaSnapshot replica = supervisor.snapshot("beating").replicas().get(0);
			return replica.state() == ReplicaState.READY && replica.pid() != hung;
		});
		assertThat(this.supervisors.events(ReplicaRestarting.class)).singleElement()
			.satisfies((restart) -> assertThat(restart.cause()).isEqualTo(RestartCause.UNHEALTHY));
		ExitRecord exit = this.supervisors.events(ReplicaExited.class).get(0).exit();
		assertThat(exit.cause()).isEqualTo(ExitCause.UNHEALTHY);
		assertThat(exit.killed()).as("a frozen process only goes with SIGKILL").isTrue();
		assertThat(Processes.isAlive(hung)).isFalse();
	}

	@Test
	void httpLivenessCheckRestartsAHungReplica() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(WorkerSpec.builder("served", JavaCommand.of(TestWorker.class.getName(), JVM, List.of("http", "0")))
				.readiness(new Readiness.Http("http://127.0.0.1:" + ReplicaContext.PORT + "/health",
						Duration.ofMillis(50), Duration.ofMillis(500)))
				.liveness(new Liveness(Duration.ofMillis(200), 2, Duration.ofMillis(300)))
				.stopTimeout(Duration.ofMillis(500))
				.startupTimeout(START)
				.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long hung = supervisor.snapshot("served").replicas().get(0).pid();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.supervisors.events(ReplicaRestarting.class).isEmpty());
		freeze(hung);
		await().atMost(START).until(() -> {
			ReplicaSnapshot replica = supervisor.snapshot("served").replicas().get(0);
			return replica.state() == ReplicaState.READY && replica.pid() != hung;
		});
		assertThat(this.supervisors.events(ReplicaRestarting.class)).singleElement()
			.satisfies((restart) -> assertThat(restart.cause()).isEqualTo(RestartCause.UNHEALTHY));
	}

	@Test
	void stopCarriesTheDeadlineAndAReplicaHonouringItExitsBeforeAnySignal() throws Exception {
		Supervisor supervisor = this.supervisors.create(notify("polite").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		dev.supervisor.shutdown.Deadline deadline = dev.supervisor.shutdown.Deadline.after(Duration.ofSeconds(8));
		List<StopOutcome> outcomes = supervisor.stop(deadline).get(20, TimeUnit.SECONDS);
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.stopMessage()).isTrue();
			assertThat(outcome.signalledAt()).as("no signal was needed").isNull();
			assertThat(outcome.killed()).isFalse();
			assertThat(outcome.status().code()).isZero();
		});
		String told = lines(supervisor, "polite", "STOP until ").get(0);
		assertThat(Instant.ofEpochMilli(Long.parseLong(told))).isBetween(deadline.instant().minusMillis(5),
				deadline.instant().plusMillis(5));
	}

	@Test
	void replicaIgnoringStopGetsTheSignalThenTheKill() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(notify("deaf", "--ignore-stop").stopTimeout(Duration.ofSeconds(4)).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		List<StopOutcome> outcomes = supervisor.stop(dev.supervisor.shutdown.Deadline.after(Duration.ofSeconds(4)))
			.get(20, TimeUnit.SECONDS);
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.stopMessage()).isTrue();
			// A quarter of the budget is kept for the signal
			assertThat(outcome.signalledAt()).as("the signal follows the ignored STOP")
				.isBetween(outcome.requestedAt().plusMillis(2800), outcome.requestedAt().plusMillis(3500));
			assertThat(outcome.killed()).isFalse();
			assertThat(outcome.status().signal()).isEqualTo(Signal.TERM);
		});
	}

	@Test
	void statusIsShown() throws Exception {
		Supervisor supervisor = this.supervisors.create(notify("talker", "--status=indexing 42 documents").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "indexing 42 documents".equals(supervisor.snapshot("talker").replicas().get(0).status()));
	}

	@Test
	void wrongAndReusedSecretsAreRefused() throws Exception {
		Supervisor supervisor = this.supervisors.create(notify("guarded").build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Path socket = supervisor.controlChannel().socket();
		assertThat(hello(socket, "0123456789abcdef0123456789abcdef")).isEqualTo("ERROR unknown secret");
		long pid = supervisor.snapshot("guarded").replicas().get(0).pid();
		String secret = Processes.environment(pid)
			.lines()
			.flatMap((variables) -> List.of(variables.split("\0")).stream())
			.filter((variable) -> variable.startsWith(Protocol.SECRET + "="))
			.findFirst()
			.orElseThrow()
			.substring(Protocol.SECRET.length() + 1);
		// Where the supervisor can tell which process connected, this one is not the
		// replica; otherwise it only knows that the secret was used
		assertThat(hello(socket, secret)).isEqualTo((Posix.available() != null)
				? "ERROR pid " + ProcessHandle.current().pid() + " is neither the replica's process (pid " + pid
						+ ") nor one of its descendants"
				: "ERROR secret already used");
	}

	@Test
	void garbageOversizedAndSilentConnectionsDoNotDisturbOtherReplicas() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(notify("steady").replicas(2).heartbeatTimeout(Duration.ofMillis(1500)).build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		Path socket = supervisor.controlChannel().socket();
		long seed = System.nanoTime();
		Random random = new Random(seed);
		List<SocketChannel> silent = new ArrayList<>();
		List<SocketChannel> abusive = new ArrayList<>();
		try {
			for (int i = 0; i < 10; i++) {
				silent.add(connect(socket));
			}
			for (int i = 0; i < 40; i++) {
				SocketChannel channel = connect(socket);
				abusive.add(channel);
				byte[] garbage = switch (i % 4) {
					case 0 -> randomBytes(random, 1 + random.nextInt(300), true);
					case 1 -> randomBytes(random, 2000 + random.nextInt(3000), false);
					case 2 ->
						("HELLO " + Long.toHexString(random.nextLong()) + "\nREADY\n").getBytes(StandardCharsets.UTF_8);
					default ->
						("READY\nSTATUS=" + "x".repeat(random.nextInt(50)) + "\n").getBytes(StandardCharsets.UTF_8);
				};
				write(channel, garbage);
			}
			// Meanwhile a replica is replaced and must become ready again
			supervisor.restart("steady", 1).get(START.toSeconds(), TimeUnit.SECONDS);
			await().atMost(START).until(() -> supervisor.snapshot("steady").ready() == 2);
			for (SocketChannel channel : abusive) {
				// Closed with an ERROR, or reset if it still had unread input
				assertThat(readUntilClosed(channel)).as("seed %d", seed).matches("ERROR .*|reset");
			}
			for (SocketChannel channel : silent) {
				assertThat(readUntilClosed(channel)).isEqualTo("ERROR no HELLO within 5s");
			}
			assertThat(this.supervisors.events(ReplicaRestarting.class)).extracting(ReplicaRestarting::cause)
				.containsOnly(RestartCause.MANUAL);
			assertThat(supervisor.snapshot("steady").ready()).isEqualTo(2);
		}
		finally {
			for (SocketChannel channel : silent) {
				channel.close();
			}
			for (SocketChannel channel : abusive) {
				channel.close();
			}
		}
	}

	private static WorkerSpec.Builder notify(String name, String... args) {
		return WorkerSpec.builder(name, JavaCommand.of(NotifyWorker.class.getName(), JVM, List.of(args)))
			.readiness(new Readiness.Notify())
			.startupTimeout(START);
	}

	private static List<String> lines(Supervisor supervisor, String worker, String prefix) {
		return supervisor.find(worker)
			.replicas()
			.get(0)
			.lastLines()
			.stream()
			.filter((line) -> line.startsWith(prefix))
			.map((line) -> line.substring(prefix.length()))
			.toList();
	}

	private static void freeze(long pid) throws Exception {
		Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
		assertThat(stop.waitFor(10, TimeUnit.SECONDS)).isTrue();
	}

	private static String hello(Path socket, String secret) throws IOException {
		try (SocketChannel channel = connect(socket)) {
			write(channel, Protocol.format(new Protocol.Message.Hello(secret)).getBytes(StandardCharsets.UTF_8));
			return readUntilClosed(channel);
		}
	}

	private static SocketChannel connect(Path socket) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(socket));
		return channel;
	}

	private static void write(SocketChannel channel, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		try {
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
		}
		catch (IOException ex) {
			// The supervisor may close a misbehaving connection before everything is
			// written
		}
	}

	private static String readUntilClosed(SocketChannel channel) {
		InputStream input = Channels.newInputStream(channel);
		try {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			return "reset";
		}
	}

	private static byte[] randomBytes(Random random, int length, boolean withNewlines) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		for (int i = 0; i < bytes.length; i++) {
			if (!withNewlines && bytes[i] == '\n') {
				bytes[i] = 'x';
			}
		}
		if (withNewlines) {
			bytes[length - 1] = '\n';
		}
		return bytes;
	}

}
