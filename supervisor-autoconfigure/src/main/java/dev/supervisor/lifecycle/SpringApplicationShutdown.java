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

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default {@link ApplicationShutdown}: closes the context as
 * {@link SpringApplication#exit} does (so the shutdown deadline and the stop ladder
 * apply) and then ends the JVM with the exit code.
 *
 * @author the supervisor authors
 */
public class SpringApplicationShutdown implements ApplicationShutdown {

	private static final Log logger = LogFactory.getLog(SpringApplicationShutdown.class);

	private final ConfigurableApplicationContext context;

	/**
	 * Create an instance for the given context.
	 * @param context the application context
	 */
	public SpringApplicationShutdown(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void shutdown(int exitCode, String reason) {
		logger.error("Shutting the application down with exit code " + exitCode + ": " + reason);
		Thread thread = new Thread(() -> System.exit(SpringApplication.exit(this.context, () -> exitCode)),
				"supervisor-shutdown");
		thread.start();
	}

}
