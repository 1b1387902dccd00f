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
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes each worker's output to a logger named {@code supervisor.worker.<name>} at INFO,
 * with the worker, replica, pid and stream in the MDC for the log pattern.
 *
 * @author the supervisor authors
 */
public final class LoggingOutputSink implements OutputSink {

	/** Prefix of the per-worker logger names. */
	public static final String LOGGER_PREFIX = "supervisor.worker.";

	/** MDC key holding the worker group's name. */
	public static final String MDC_WORKER = "supervisor.worker";

	/** MDC key holding the replica index. */
	public static final String MDC_REPLICA = "supervisor.replica";

	/** MDC key holding the replica's process id. */
	public static final String MDC_PID = "supervisor.pid";

	/** MDC key holding the stream, {@code out} or {@code err}. */
	public static final String MDC_STREAM = "supervisor.stream";

	private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

	@Override
	public boolean isEnabled(String worker) {
		return logger(worker).isInfoEnabled();
	}

	@Override
	public void write(OutputLine line) {
		MDC.put(MDC_WORKER, line.worker());
		MDC.put(MDC_REPLICA, Integer.toString(line.replica()));
		MDC.put(MDC_PID, Long.toString(line.pid()));
		MDC.put(MDC_STREAM, (line.stream() == OutputLine.Stream.OUT) ? "out" : "err");
		try {
			logger(line.worker()).info(line.truncated() ? line.text() + " [truncated]" : line.text());
		}
		finally {
			MDC.remove(MDC_WORKER);
			MDC.remove(MDC_REPLICA);
			MDC.remove(MDC_PID);
			MDC.remove(MDC_STREAM);
		}
	}

	private Logger logger(String worker) {
		return this.loggers.computeIfAbsent(worker, (name) -> LoggerFactory.getLogger(LOGGER_PREFIX + name));
	}

}
