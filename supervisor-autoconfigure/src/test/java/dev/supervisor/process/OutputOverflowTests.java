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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import dev.supervisor.actuate.metrics.SupervisorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.supervisor.process.TestSupervisors.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The output overflow policy, on real processes that print faster than the log takes
 * their lines.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OutputOverflowTests {

	private static final Duration START = Duration.ofSeconds(20);

	private final TestSupervisors supervisors = new TestSupervisors();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stopAll() {
		this.release.countDown();
		this.supervisors.close();
	}

	@Test
	void floodUnderDropNeverBlocksTheChildKeepsMemoryBoundedAndTheCountersMatch(CapturedOutput log) throws Exception {
		AtomicLong written = new AtomicLong();
		OutputSink slowLog = new CountingSink(written, () -> LockSupport.parkNanos(Duration.ofMillis(1).toNanos()));
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long before = memory.getHeapMemoryUsage().getUsed();
		// 100 MB in 1,000,000 lines; at 1ms a line the log would need 17 minutes
		Supervisor supervisor = this.supervisors.create((options) -> options.withOutputSink(slowLog),
				sh("flood", "echo ready; yes \"$(printf '%099d' 0)\" | head -c 100000000; echo; echo done")
					.readiness(new Readiness.LogLine(Pattern.compile("ready")))
					.restart(RestartPolicy.NEVER)
					.build());
		MeterRegistry registry = new SimpleMeterRegistry();
		new SupervisorMetrics(supervisor).bindTo(registry);
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> supervisor.snapshot("flood").replicas().get(0).state() == ReplicaState.EXITED);
		System.gc();
		long grown = memory.getHeapMemoryUsage().getUsed() - before;
		assertThat(grown).isLessThan(64L * 1024 * 1024);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> written.get() + supervisor.snapshot("flood").droppedLines() == 1_000_000 + 3);
		GroupSnapshot group = supervisor.snapshot("flood");
		assertThat(group.droppedLines()).isPositive();
		// Lines of 99 characters, but for the last two
		assertThat(group.droppedBytes()).isBetween((group.droppedLines() - 2) * 99, group.droppedLines() * 99);
		assertThat(supervisor.find("flood").replicas().get(0).lastLines()).last().isEqualTo("done");
		assertThat(registry.get("supervisor.output.dropped.lines").tag("worker", "flood").functionCounter().count())
			.isEqualTo(group.droppedLines());
		assertThat(registry.get("supervisor.output.dropped.bytes").tag("worker", "flood").functionCounter().count())
			.isEqualTo(group.droppedBytes());
		// One line when dropping starts, one when the log has caught up
		await().atMost(Duration.ofSeconds(10)).until(() -> log.getOut().contains("output is logged again"));
		assertThat(occurrences(log.getOut(), "Worker 'flood' prints faster than its output can be logged"))
			.isEqualTo(1);
		assertThat(occurrences(log.getOut(), "Worker 'flood' output is logged again; " + group.droppedLines()
				+ " lines (" + group.droppedBytes() + " bytes) dropped so far"))
			.isEqualTo(1);
	}

	@Test
	void blockAppliesBackPressureToTheChildAndDeliversEveryLine() throws Exception {
		AtomicLong written = new AtomicLong();
		OutputSink stuckLog = new CountingSink(written, this::awaitRelease);
		// About 1 MB: more than the pipe and the queue hold
		Supervisor supervisor = this.supervisors.create((options) -> options.withOutputSink(stuckLog),
				sh("steady", "i=0; while [ $i -lt 100000 ]; do echo \"line $i\"; i=$((i+1)); done; echo done")
					.output(new OutputSpec(OutputSpec.Mode.LOG, false, 8192, 10, OutputSpec.Overflow.BLOCK))
					.restart(RestartPolicy.NEVER)
					.build());
		supervisor.start().get(START.toSeconds(), TimeUnit.SECONDS);
		long pid = supervisor.snapshot("steady").replicas().get(0).pid();
		// The child waits in the kernel for room in its pipe
		await().atMost(START).until(() -> waitChannel(pid).contains("pipe_write"));
		assertThat(written.get()).isZero();
		this.release.countDown();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> supervisor.snapshot("steady").replicas().get(0).state() == ReplicaState.EXITED);
		await().atMost(Duration.ofSeconds(30)).until(() -> written.get() == 100_001);
		assertThat(supervisor.snapshot("steady").droppedLines()).isZero();
		assertThat(supervisor.find("steady").replicas().get(0).lastExit().status().success()).isTrue();
	}

	private void awaitRelease() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String waitChannel(long pid) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(pid), "wchan"));
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

	private static final class CountingSink implements OutputSink {

		private final AtomicLong written;

		private final Runnable delay;

		CountingSink(AtomicLong written, Runnable delay) {
			this.written = written;
			this.delay = delay;
		}

		@Override
		public boolean isEnabled(String worker) {
			return true;
		}

		@Override
		public void write(OutputLine line) {
			this.delay.run();
			this.written.incrementAndGet();
		}

	}

}
