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

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import dev.supervisor.process.Backoff;
import dev.supervisor.process.CrashLoopLimit;
import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.Readiness;
import dev.supervisor.process.ReplicaSnapshot;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorOptions;
import dev.supervisor.process.WorkerSpec;
import dev.supervisor.shutdown.Deadline;

/**
 * Measures the engine on real processes: how fast a death is handled, how fast a
 * replacement is ready, spawning compared with a bare {@link ProcessBuilder} loop, what
 * idle replicas cost, and how close together replicas stopped at once get SIGTERM.
 *
 * @author the supervisor authors
 */
final class EngineBenchmark {

	private static final List<String> WORKER = List.of("sh", "-c", "echo ready; exec sleep 100000");

	private static final Readiness READY_LINE = new Readiness.LogLine(Pattern.compile("ready"));

	private EngineBenchmark() {
	}

	static void run() throws Exception {
		System.out.println("== engine ==");
		kills(150);
		spawn(50, 9);
		idle(200);
		sweep(15);
		termSpread(new int[] { 16, 50, 200 }, 3);
		System.out.println();
	}

	/**
	 * Stop replicas that note the moment SIGTERM reaches them, and print how far apart
	 * the first and the last got it: one deadline for all means they are all asked at
	 * once. For comparison, the same workers started by hand, each in a session of its
	 * own, get SIGTERM from one {@code kill} process with every group on its command
	 * line: the spread of the {@code kill} calls themselves, and of the workers' own
	 * notes, on this machine at this moment.
	 */
	static void termSpread(int[] sizes, int rounds) throws Exception {
		for (int replicas : sizes) {
			long[] spread = new long[rounds];
			long[] last = new long[rounds];
			long[] bare = new long[rounds];
			for (int round = 0; round < rounds; round++) {
				settle();
				bare[round] = bareTermSpread(replicas);
				settle();
				Path stamps = Files.createTempDirectory("term-stamps");
				try {
					WorkerSpec spec = WorkerSpec.builder("stamped", TermStamps.worker(stamps, "echo ready; "))
						.replicas(replicas)
						.readiness(READY_LINE)
						.build();
					try (Supervisor supervisor = new Supervisor(List.of(spec), options((event) -> {
					}))) {
						supervisor.start().get(120, TimeUnit.SECONDS);
						long asked = TermStamps.nowMicros();
						supervisor.stop(Deadline.after(Duration.ofSeconds(10))).get(60, TimeUnit.SECONDS);
						long[] at = TermStamps.read(stamps, replicas, Duration.ofSeconds(30));
						spread[round] = (at[at.length - 1] - at[0]) * 1000;
						last[round] = (at[at.length - 1] - asked) * 1000;
					}
				}
				finally {
					TermStamps.delete(stamps);
				}
			}
			System.out.printf(
					"SIGTERM first-last spread, %d replicas stopped at once (%d rounds): median %s, max %s; stop requested -> last SIGTERM median %s; one bare 'kill' of as many groups: median %s   [goal 16: <= 10 ms]%n",
					replicas, rounds, ms(percentile(spread, 50)), ms(percentile(spread, 100)), ms(percentile(last, 50)),
					ms(percentile(bare, 50)));
		}
	}

	/**
	 * Start the workers by hand, each in a session of its own, and send SIGTERM to all of
	 * their groups with one {@code kill} process.
	 * @return the spread of their notes
	 */
	private static long bareTermSpread(int replicas) throws Exception {
		Path stamps = Files.createTempDirectory("term-stamps");
		List<Process> processes = new ArrayList<>();
		try {
			List<String> command = new ArrayList<>(List.of("setsid"));
			command.addAll(TermStamps.worker(stamps, "echo ready; "));
			for (int i = 0; i < replicas; i++) {
				ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
				builder.environment().put("SUPERVISOR_REPLICA", Integer.toString(i));
				processes.add(builder.start());
			}
			List<String> kill = new ArrayList<>(List.of("sh", "-c", "kill -s TERM -- \"$@\"", "sh"));
			for (Process process : processes) {
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				String line;
				while ((line = reader.readLine()) != null && !line.contains("ready")) {
					// wait for the ready line
				}
				kill.add("-" + process.pid());
			}
			new ProcessBuilder(kill).inheritIO().start().waitFor();
			long[] at = TermStamps.read(stamps, replicas, Duration.ofSeconds(30));
			return (at[at.length - 1] - at[0]) * 1000;
		}
		finally {
			for (Process process : processes) {
				ProcessHandle.of(process.pid())
					.ifPresent((handle) -> handle.descendants().forEach(ProcessHandle::destroyForcibly));
				process.destroyForcibly();
				process.waitFor();
			}
			TermStamps.delete(stamps);
		}
	}

	/**
	 * Kill one replica after another with SIGKILL and time how long the supervisor takes
	 * to notice (its exit event) and to have a ready replacement.
	 */
	private static void kills(int count) throws Exception {
		Map<Long, Long> exited = new ConcurrentHashMap<>();
		Map<Integer, CountDownLatch> readies = new ConcurrentHashMap<>();
		WorkerSpec spec = WorkerSpec.builder("victim", WORKER)
			.readiness(READY_LINE)
			.backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0))
			.crashLoop(new CrashLoopLimit(count * 2, Duration.ofMinutes(1)))
			.build();
		try (Supervisor supervisor = new Supervisor(List.of(spec), options((event) -> {
			long now = System.nanoTime();
			if (event instanceof SupervisorEvent.ReplicaExited exit) {
				exited.put(exit.exit().pid(), now);
			}
			else if (event instanceof SupervisorEvent.ReplicaReady) {
				readies.computeIfAbsent(0, (key) -> new CountDownLatch(1)).countDown();
			}
		}))) {
			supervisor.start().get(30, TimeUnit.SECONDS);
			long[] handled = new long[count];
			long[] replaced = new long[count];
			for (int i = 0; i < count; i++) {
				long pid = supervisor.snapshot("victim").replicas().get(0).pid();
				CountDownLatch ready = new CountDownLatch(1);
				readies.put(0, ready);
				long killed = System.nanoTime();
				ProcessHandle.of(pid).orElseThrow().destroyForcibly();
				if (!ready.await(10, TimeUnit.SECONDS)) {
					throw new IllegalStateException("No replacement after kill " + i);
				}
				replaced[i] = System.nanoTime() - killed;
				handled[i] = exited.get(pid) - killed;
			}
			System.out.printf("kill -9 -> death handled (%d kills): p50 %s  p99 %s  max %s   [target p99 < 20 ms]%n",
					count, ms(percentile(handled, 50)), ms(percentile(handled, 99)), ms(percentile(handled, 100)));
			System.out.printf("kill -9 -> replacement ready (backoff 1 ms): p50 %s  p99 %s%n",
					ms(percentile(replaced, 50)), ms(percentile(replaced, 99)));
			supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get();
		}
	}

	/**
	 * Time spawning replicas until every one printed its ready line, through the
	 * supervisor and through a bare loop.
	 */
	private static void spawn(int replicas, int rounds) throws Exception {
		boolean direct = nativeAccessGranted();
		long[] supervised = new long[rounds];
		long[] bare = new long[rounds];
		long[] throughSetsid = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			// Alternate which goes first, and let the last round's processes be reaped
			if (round % 2 == 0) {
				settle();
				bare[round] = bareSpawn(replicas);
				settle();
				supervised[round] = supervisedSpawn(replicas, true);
			}
			else {
				settle();
				supervised[round] = supervisedSpawn(replicas, true);
				settle();
				bare[round] = bareSpawn(replicas);
			}
			if (direct) {
				settle();
				throughSetsid[round] = supervisedSpawn(replicas, false);
			}
		}
		long supervisedMedian = percentile(supervised, 50);
		long bareMedian = percentile(bare, 50);
		System.out.printf(
				"spawn %d replicas to ready (median of %d): supervisor %s, bare ProcessBuilder loop %s, ratio %.2f   [target <= 1.3]%n",
				replicas, rounds, ms(supervisedMedian), ms(bareMedian), (double) supervisedMedian / bareMedian);
		if (direct) {
			long setsidMedian = percentile(throughSetsid, 50);
			System.out.printf(
					"  (replicas spawned by posix_spawn, native access granted; through the JDK and setsid instead: %s, ratio %.2f)%n",
					ms(setsidMedian), (double) setsidMedian / bareMedian);
		}
		else {
			System.out.printf("  (replicas started through the JDK and setsid: posix_spawn needs JDK 22 or later, "
					+ "native access granted and glibc 2.34 or later)%n");
		}
	}

	/**
	 * Return whether the supervisor calls posix_spawn directly in this JVM: JDK 22 or
	 * later with native access granted, as the benchmark jar's manifest does.
	 */
	private static boolean nativeAccessGranted() {
		try (Supervisor supervisor = new Supervisor(List.of(), options((event) -> {
		}))) {
			return supervisor.spawnsDirectly();
		}
	}

	private static long supervisedSpawn(int replicas, boolean nativeAccess) throws Exception {
		WorkerSpec spec = WorkerSpec.builder("spawn", WORKER).replicas(replicas).readiness(READY_LINE).build();
		try (Supervisor supervisor = new Supervisor(List.of(spec), options((event) -> {
		}).withNativeAccess(nativeAccess))) {
			long began = System.nanoTime();
			supervisor.start().get(60, TimeUnit.SECONDS);
			long took = System.nanoTime() - began;
			supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get();
			return took;
		}
	}

	/**
	 * What people write by hand: start the processes, then read each one's output until
	 * it says it is ready.
	 */
	private static long bareSpawn(int replicas) throws Exception {
		List<Process> processes = new ArrayList<>();
		long began = System.nanoTime();
		try {
			for (int i = 0; i < replicas; i++) {
				processes.add(new ProcessBuilder(WORKER).redirectInput(new File("/dev/null")).start());
			}
			for (Process process : processes) {
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				String line;
				while ((line = reader.readLine()) != null && !line.contains("ready")) {
					// wait for the ready line
				}
			}
			return System.nanoTime() - began;
		}
		finally {
			for (Process process : processes) {
				process.destroyForcibly();
			}
			for (Process process : processes) {
				process.waitFor();
			}
		}
	}

	/**
	 * Start idle replicas and measure the threads and heap they cost and the CPU the
	 * supervisor uses while nothing happens.
	 */
	private static void idle(int replicas) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		settle();
		int threadsBefore = threads.getThreadCount();
		long heapBefore = usedHeap();
		WorkerSpec spec = WorkerSpec.builder("idle", WORKER).replicas(replicas).readiness(READY_LINE).build();
		try (Supervisor supervisor = new Supervisor(List.of(spec), options((event) -> {
		}))) {
			supervisor.start().get(120, TimeUnit.SECONDS);
			settle();
			int threadsAfter = threads.getThreadCount();
			long heapAfter = usedHeap();
			Map<String, Integer> byKind = new java.util.TreeMap<>();
			for (Thread thread : Thread.getAllStackTraces().keySet()) {
				String name = thread.getName().replaceAll("-?\\d+", "#");
				if (name.startsWith("supervisor") || name.startsWith("process reaper")) {
					byKind.merge(name.startsWith("supervisor-") && name.endsWith("-out") ? "supervisor-*-out"
							: name.startsWith("supervisor-") && name.endsWith("-err") ? "supervisor-*-err" : name, 1,
							Integer::sum);
				}
			}
			long[] ids = threads.getAllThreadIds();
			long cpuBefore = supervisorCpu(threads, ids);
			long sampleStart = System.nanoTime();
			LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
			long cpuUsed = supervisorCpu(threads, ids) - cpuBefore;
			GroupSnapshot group = supervisor.snapshot("idle");
			System.out.printf("%d idle replicas (%d ready): %d threads (%.2f per replica) %s%n", replicas,
					group.ready(), threadsAfter - threadsBefore, (threadsAfter - threadsBefore) / (double) replicas,
					byKind);
			System.out.printf("%d idle replicas: heap %.1f KiB per replica (%s MiB in all, after GC)%n", replicas,
					(heapAfter - heapBefore) / 1024.0 / replicas,
					String.format("%.1f", (heapAfter - heapBefore) / 1024.0 / 1024.0));
			System.out.printf(
					"%d idle replicas: CPU used by all JVM threads over %s of idle: %s   [target: ~0, nothing polls]%n",
					replicas, ms(System.nanoTime() - sampleStart), ms(cpuUsed));
			long[] pids = group.replicas().stream().map(ReplicaSnapshot::pid).mapToLong(Long::longValue).toArray();
			long stopping = System.nanoTime();
			supervisor.stop(Deadline.after(Duration.ofSeconds(10))).get();
			System.out.printf("%d idle replicas stopped through the ladder in %s; still alive: %d%n", replicas,
					ms(System.nanoTime() - stopping),
					Arrays.stream(pids)
						.filter((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
						.count());
		}
	}

	private static long supervisorCpu(ThreadMXBean threads, long[] ids) {
		long total = 0;
		for (long id : ids) {
			long cpu = threads.getThreadCpuTime(id);
			if (cpu > 0) {
				total += cpu;
			}
		}
		return total;
	}

	/**
	 * Time starting one replica with the identity marker (so the start first looks for
	 * leftovers of an earlier run through /proc) and without it.
	 */
	private static void sweep(int rounds) throws Exception {
		WorkerSpec spec = WorkerSpec.builder("single", WORKER).readiness(READY_LINE).build();
		long[] marked = new long[rounds];
		long[] unmarked = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			unmarked[round] = timeStart(spec, options((event) -> {
			}));
			marked[round] = timeStart(spec, options((event) -> {
			}).withIdentity("benchmark@" + round));
		}
		long processes;
		try (java.util.stream.Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
			processes = all.count();
		}
		System.out.printf(
				"start 1 replica to ready (median of %d): with the leftover search %s, without %s (%d processes on the machine)%n",
				rounds, ms(percentile(marked, 50)), ms(percentile(unmarked, 50)), processes);
	}

	private static long timeStart(WorkerSpec spec, SupervisorOptions options) throws Exception {
		try (Supervisor supervisor = new Supervisor(List.of(spec), options)) {
			long start = System.nanoTime();
			supervisor.start().get(30, TimeUnit.SECONDS);
			long took = System.nanoTime() - start;
			supervisor.stop(Deadline.after(Duration.ofSeconds(5))).get();
			return took;
		}
	}

	private static SupervisorOptions options(dev.supervisor.process.SupervisorListener listener) {
		return SupervisorOptions.defaults()
			.withListener(listener)
			.withOutputSink(new dev.supervisor.process.OutputSink() {

				@Override
				public boolean isEnabled(String worker) {
					return false;
				}

				@Override
				public void write(dev.supervisor.process.OutputLine line) {
				}

			});
	}

	private static void settle() {
		for (int i = 0; i < 3; i++) {
			System.gc();
			LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
		}
	}

	private static long usedHeap() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	static long percentile(long[] values, int percentile) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
	}

	static String ms(long nanos) {
		return String.format("%.2f ms", nanos / 1_000_000.0);
	}

}
