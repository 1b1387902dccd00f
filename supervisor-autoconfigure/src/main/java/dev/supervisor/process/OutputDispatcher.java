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

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands replica output lines to the {@link OutputSink} on one thread of its own, through
 * a bounded queue. The pump threads that read the replicas' pipes therefore never wait
 * for a slow log: with {@link OutputSpec.Overflow#DROP} a full queue drops the line (and
 * counts it), with {@link OutputSpec.Overflow#BLOCK} the pump waits, which in turn blocks
 * the replica on its full pipe. Memory stays bounded either way.
 *
 * @author the supervisor authors
 */
final class OutputDispatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OutputDispatcher.class);

	private static final OutputLine END = new OutputLine("", 0, 0, OutputLine.Stream.OUT, "", false);

	private final OutputSink sink;

	private final BlockingQueue<OutputLine> queue;

	private final int freeToResume;

	private final Map<OutputStats, String> dropping = new ConcurrentHashMap<>();

	private @Nullable Thread thread;

	OutputDispatcher(OutputSink sink, int capacity) {
		this.sink = sink;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.freeToResume = capacity - capacity / 4;
	}

	boolean isEnabled(String worker) {
		return this.sink.isEnabled(worker);
	}

	/**
	 * Queue a line for the sink.
	 * @param line the line
	 * @param overflow what to do when the queue is full
	 * @param stats where dropped lines are counted
	 * @throws InterruptedException if interrupted while blocked
	 */
	void dispatch(OutputLine line, OutputSpec.Overflow overflow, OutputStats stats) throws InterruptedException {
		ensureStarted();
		if (overflow == OutputSpec.Overflow.BLOCK) {
			this.queue.put(line);
		}
		else if (!this.queue.offer(line)) {
			if (stats.dropped(line.text().length())) {
				this.dropping.put(stats, line.worker());
				logger.warn("Worker '" + line.worker() + "' prints faster than its output can be logged; "
						+ "dropping lines until the log catches up");
			}
		}
	}

	/**
	 * Once the log has caught up (the queue is at most a quarter full), end the dropping
	 * of every group that dropped lines: a steady flood logs one line when it begins and
	 * one when the log has caught up, not one for every line that slips into a freed
	 * slot.
	 */
	private void resumeIfCaughtUp() {
		if (this.dropping.isEmpty() || this.queue.remainingCapacity() < this.freeToResume) {
			return;
		}
		for (Map.Entry<OutputStats, String> entry : this.dropping.entrySet()) {
			OutputStats stats = entry.getKey();
			if (this.dropping.remove(stats, entry.getValue()) && stats.delivered()) {
				logger.info("Worker '" + entry.getValue() + "' output is logged again; " + stats.droppedLines()
						+ " lines (" + stats.droppedBytes() + " bytes) dropped so far");
			}
		}
	}

	private synchronized void ensureStarted() {
		if (this.thread == null) {
			Thread drain = new Thread(this::drain, "supervisor-output");
			drain.setDaemon(true);
			drain.start();
			this.thread = drain;
		}
	}

	private void drain() {
		try {
			while (true) {
				OutputLine line = this.queue.take();
				if (line == END) {
					return;
				}
				try {
					this.sink.write(line);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not write output of worker '" + line.worker() + "'", ex);
				}
				resumeIfCaughtUp();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Write what is queued, then stop the thread.
	 */
	@Override
	public void close() {
		Thread drain;
		synchronized (this) {
			drain = this.thread;
			this.thread = null;
		}
		if (drain == null) {
			return;
		}
		try {
			if (this.queue.offer(END, 1, java.util.concurrent.TimeUnit.SECONDS)) {
				drain.join(2000);
			}
			else {
				drain.interrupt();
			}
		}
		catch (InterruptedException ex) {
			drain.interrupt();
			Thread.currentThread().interrupt();
		}
	}

}
