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
 * Writes each replica's output at INFO to a logger named
 * {@code supervisor.worker.<name>.<replica>}, so that any log pattern shows which replica
 * printed a line, with the worker, replica, pid and stream in the MDC as well. Levels set
 * for {@code supervisor.worker.<name>} apply to all replicas of the worker, as logger
 * names are hierarchical.
 *
 * @author the supervisor authors
 */
public final class LoggingOutputSink implements OutputSink {

	/**
	 * Prefix of the logger names: a worker's lines go to the logger of this prefix and
	 * its name, a replica's to that logger's child named by its index.
	 */
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
			logger(line.worker() + "." + line.replica())
				.info(line.truncated() ? line.text() + " [truncated]" : line.text());
		}
		finally {
			MDC.remove(MDC_WORKER);
			MDC.remove(MDC_REPLICA);
			MDC.remove(MDC_PID);
			MDC.remove(MDC_STREAM);
		}
	}

	/**
	 * Return the logger of a worker ({@code name}) or of one of its replicas
	 * ({@code name.index}).
	 */
	private Logger logger(String name) {
		return this.loggers.computeIfAbsent(name, (key) -> LoggerFactory.getLogger(LOGGER_PREFIX + key));
	}

}
