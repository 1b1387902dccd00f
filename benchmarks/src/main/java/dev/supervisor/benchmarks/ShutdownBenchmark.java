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

package dev.supervisor.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the one shutdown deadline: the wall time of a SIGTERM with 16 workers that
 * each take 2s to drain and a request that takes 2s; with replicas that ignore SIGTERM,
 * how close to the deadline they are killed and the JVM exits; and the cost of a
 * {@code CancellationToken} parameter on request throughput.
 *
 * @author the supervisor authors
 */
final class ShutdownBenchmark {

	private static final String DRAINS_2S = "trap 'sleep 2; exit 0' TERM; sleep 100000 & wait";

	private ShutdownBenchmark() {
	}

	static void run() throws Exception {
		System.out.println("== shutdown ==");
		shutdown(0, 3);
		shutdown(16, 3);
		deadline(new int[] { 10, 50, 200 }, 3);
		throughput(Duration.ofSeconds(3), 10);
		System.out.println();
	}

	/**
	 * Send SIGTERM to the application with replicas that ignore it (they note when it
	 * came) and {@code supervisor.shutdown.timeout=5s}: how long after the deadline the
	 * JVM exits, how far apart the replicas got SIGTERM and were killed, and whether the
	 * shutdown report accounts for every replica. A replica's death is seen as the end of
	 * a pipe it holds open, so it is measured, not inferred from the application's log.
	 */
	static void deadline(int[] sizes, int rounds) throws Exception {
		for (int replicas : sizes) {
			long[] exit = new long[rounds];
			long[] firstKill = new long[rounds];
			long[] lastKill = new long[rounds];
			long[] killSpread = new long[rounds];
			long[] termSpread = new long[rounds];
			List<String> reports = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				Path dir = Files.createTempDirectory("deaf-workers");
				try {
					long[] died = new long[replicas];
					CountDownLatch dead = new CountDownLatch(replicas);
					List<String> fifos = new ArrayList<>(List.of("mkfifo"));
					for (int i = 0; i < replicas; i++) {
						fifos.add(dir.resolve("fifo." + i).toString());
					}
					if (new ProcessBuilder(fifos).inheritIO().start().waitFor() != 0) {
						throw new IllegalStateException("mkfifo failed");
					}
					for (int i = 0; i < replicas; i++) {
						int replica = i;
						Thread reader = new Thread(() -> {
							try (InputStream pipe = Files.newInputStream(dir.resolve("fifo." + replica))) {
								while (pipe.read() != -1) {
									// the replica writes nothing; the end is its death
								}
								died[replica] = System.nanoTime();
								dead.countDown();
							}
							catch (IOException ex) {
								throw new UncheckedIOException(ex);
							}
						}, "death-of-" + replica);
						reader.setDaemon(true);
						reader.start();
					}
					List<String> command = TermStamps.deafWorker(dir);
					List<String> args = new ArrayList<>();
					for (int i = 0; i < command.size(); i++) {
						args.add("--supervisor.workers.deaf.command[" + i + "]=" + command.get(i));
					}
					args.addAll(List.of("--supervisor.workers.deaf.replicas=" + replicas,
							"--supervisor.workers.deaf.readiness.min-uptime=200ms",
							"--supervisor.shutdown.timeout=5s"));
					try (AppJvm app = AppJvm.start(args)) {
						long asked = TermStamps.nowMicros();
						long sigterm = System.nanoTime();
						app.process().destroy();
						app.process().waitFor(120, TimeUnit.SECONDS);
						exit[round] = System.nanoTime() - sigterm;
						if (!dead.await(15, TimeUnit.SECONDS)) {
							// The JVM is gone and they are not: take them down, and say
							// so
							long survivors = dead.getCount();
							killSurvivors(dir);
							dead.await(10, TimeUnit.SECONDS);
							reports.add(survivors + " of " + replicas + " replicas outlived the JVM by 15s");
						}
						long deadline = sigterm + Duration.ofSeconds(5).toNanos();
						long first = Arrays.stream(died).min().getAsLong();
						long last = Arrays.stream(died).max().getAsLong();
						firstKill[round] = first - deadline;
						lastKill[round] = last - deadline;
						killSpread[round] = last - first;
						long[] term = TermStamps.read(dir, replicas, Duration.ofSeconds(2));
						if (term.length < replicas) {
							reports.add((replicas - term.length) + " of " + replicas + " replicas never got SIGTERM");
						}
						termSpread[round] = (term.length > 0) ? (term[term.length - 1] - term[0]) * 1000 : 0;
						reports.add(report(app.output(), replicas, asked, term));
					}
				}
				finally {
					TermStamps.delete(dir);
				}
			}
			System.out.printf(
					"SIGTERM -> JVM exit, %d replicas ignoring SIGTERM, timeout 5s (%d runs): median %s, max %s; killed from deadline %s to %s (median), kill spread median %s max %s; SIGTERM spread median %s max %s%n",
					replicas, rounds, EngineBenchmark.ms(EngineBenchmark.percentile(exit, 50)),
					EngineBenchmark.ms(EngineBenchmark.percentile(exit, 100)),
					signed(EngineBenchmark.percentile(firstKill, 50)), signed(EngineBenchmark.percentile(lastKill, 50)),
					EngineBenchmark.ms(EngineBenchmark.percentile(killSpread, 50)),
					EngineBenchmark.ms(EngineBenchmark.percentile(killSpread, 100)),
					EngineBenchmark.ms(EngineBenchmark.percentile(termSpread, 50)),
					EngineBenchmark.ms(EngineBenchmark.percentile(termSpread, 100)));
			reports.forEach((report) -> System.out.println("  report: " + report));
		}
	}

	/**
	 * Sum up what the shutdown report said against what the replicas saw.
	 */
	private static String report(String output, int replicas, long askedMicros, long[] term) {
		int block = output.lastIndexOf("Stop report (application shutdown)");
		if (block < 0) {
			return "none written";
		}
		String report = output.substring(block);
		Matcher lines = Pattern.compile("worker 'deaf' replica \\d+ \\(pid \\d+\\): asked by signal at \\+(\\d+)ms")
			.matcher(report);
		int count = 0;
		long latestAsked = 0;
		while (lines.find()) {
			count++;
			latestAsked = Math.max(latestAsked, Long.parseLong(lines.group(1)));
		}
		return String.format("%d of %d replicas named%s; latest 'asked at' +%dms, latest SIGTERM seen +%dms", count,
				replicas, report.contains("no worker was running") ? ", says 'no worker was running'" : "", latestAsked,
				(term.length > 0) ? (term[term.length - 1] - askedMicros) / 1000 : -1);
	}

	/**
	 * Kill what still runs with the benchmark's directory on its command line.
	 */
	private static void killSurvivors(Path dir) {
		try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
			all.filter((process) -> process.info().commandLine().orElse("").contains(dir.toString()))
				.forEach(ProcessHandle::destroyForcibly);
		}
	}

	private static String signed(long nanos) {
		return ((nanos < 0) ? "-" : "+") + EngineBenchmark.ms(Math.abs(nanos));
	}

	private static void shutdown(int workers, int rounds) throws Exception {
		long[] took = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			List<String> args = (workers == 0) ? List.of()
					: List.of("--supervisor.workers.drain.command[0]=sh", "--supervisor.workers.drain.command[1]=-c",
							"--supervisor.workers.drain.command[2]=" + DRAINS_2S,
							"--supervisor.workers.drain.replicas=" + workers,
							"--supervisor.workers.drain.readiness.min-uptime=200ms");
			try (AppJvm app = AppJvm.start(args)) {
				HttpClient http = HttpClient.newHttpClient();
				CompletableFuture<HttpResponse<String>> request = http.sendAsync(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/work?millis=2000"))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				app.awaitOutput("work started", Duration.ofSeconds(10));
				long sigterm = System.nanoTime();
				app.process().destroy();
				app.process().waitFor(60, TimeUnit.SECONDS);
				took[round] = System.nanoTime() - sigterm;
				int status = request.get(10, TimeUnit.SECONDS).statusCode();
				if (status != 200) {
					throw new IllegalStateException("The 2s request was answered " + status);
				}
			}
		}
		String what = (workers == 0) ? "no workers, one 2s request (baseline: Spring and the JVM alone)"
				: workers + " workers draining 2s + one 2s request";
		String target = (workers == 0) ? "" : "   [target <= 2300 ms; ideal 2000 ms, sum 4000 ms]";
		System.out.printf("SIGTERM -> JVM exit, %s (%d runs): median %s, max %s%s%n", what, rounds,
				EngineBenchmark.ms(EngineBenchmark.percentile(took, 50)),
				EngineBenchmark.ms(EngineBenchmark.percentile(took, 100)), target);
	}

	/**
	 * Load both endpoints at the same time, half the connections each, so that both see
	 * the same machine; swap which clients load which endpoint every round.
	 */
	private static void throughput(Duration round, int rounds) throws Exception {
		try (AppJvm app = AppJvm.start(List.of())) {
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			URI plain = URI.create("http://127.0.0.1:" + app.port() + "/plain");
			URI token = URI.create("http://127.0.0.1:" + app.port() + "/token");
			load(http, plain, token, Duration.ofSeconds(5));
			long plainTotal = 0;
			long tokenTotal = 0;
			double seconds = 0;
			for (int i = 0; i < rounds; i++) {
				long[] counts = (i % 2 == 0) ? load(http, plain, token, round) : swap(load(http, token, plain, round));
				plainTotal += counts[0];
				tokenTotal += counts[1];
				seconds += round.toNanos() / 1e9;
			}
			System.out.printf(
					"throughput, 8 + 8 connections on loopback at once (%d x %ds): without token %.0f req/s, with token %.0f req/s, overhead %.1f%%   [target < 2%%]%n",
					rounds, round.toSeconds(), plainTotal / seconds, tokenTotal / seconds,
					(plainTotal - tokenTotal) * 100.0 / plainTotal);
		}
	}

	private static long[] swap(long[] counts) {
		return new long[] { counts[1], counts[0] };
	}

	/**
	 * Run 8 clients on each URI for the given time.
	 * @return the requests completed on each
	 */
	private static long[] load(HttpClient http, URI first, URI second, Duration duration) throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		LongAdder[] done = { new LongAdder(), new LongAdder() };
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			int which = i % 2;
			HttpRequest request = HttpRequest.newBuilder((which == 0) ? first : second).build();
			Thread client = new Thread(() -> {
				while (running.get()) {
					try {
						if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
							done[which].increment();
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			client.start();
			clients.add(client);
		}
		Thread.sleep(duration.toMillis());
		running.set(false);
		for (Thread client : clients) {
			client.join();
		}
		return new long[] { done[0].sum(), done[1].sum() };
	}

}
