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

package dev.supervisor.lifecycle;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Where {@link ShutdownReport stop reports} go: one block in the log at INFO, an
 * application event, and the last one kept for the actuator endpoint.
 *
 * @author the supervisor authors
 */
public class ShutdownReports {

	private static final Log logger = LogFactory.getLog(ShutdownReports.class);

	private final ApplicationEventPublisher publisher;

	private volatile @Nullable ShutdownReport last;

	/**
	 * Create an instance.
	 * @param publisher where reports are published
	 */
	public ShutdownReports(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Log, publish and keep a report.
	 * @param report the report
	 */
	public void record(ShutdownReport report) {
		this.last = report;
		logger.info(report.describe());
		try {
			this.publisher.publishEvent(report);
		}
		catch (RuntimeException ex) {
			// The context may be closing
			logger.debug("Could not publish the stop report", ex);
		}
	}

	/**
	 * Return the last report.
	 * @return the report, or {@code null} if nothing was stopped yet
	 */
	public @Nullable ShutdownReport last() {
		return this.last;
	}

}
