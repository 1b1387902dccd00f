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

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.worker.SupervisorConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Makes a Spring Boot application a well-behaved worker of the supervisor that started
 * it, with no code: it reports {@code READY} when the application is ready, sends
 * heartbeats, closes its context when asked to {@code STOP} (and halts at the deadline if
 * closing takes longer), and does the same when its supervisor dies.
 *
 * @author the supervisor authors
 */
public class SupervisedApplication implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(SupervisedApplication.class);

	private final SupervisorConnection connection;

	private final ConfigurableApplicationContext context;

	private final AtomicBoolean closing = new AtomicBoolean();

	/**
	 * Create an instance.
	 * @param connection the connection to the supervisor
	 * @param context the application context
	 */
	public SupervisedApplication(SupervisorConnection connection, ConfigurableApplicationContext context) {
		this.connection = connection;
		this.context = context;
		connection.onStop((deadline) -> close("its supervisor asked it to stop by " + deadline, deadline));
		connection.onParentDeath(() -> close("its supervisor is gone", null));
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (event.getApplicationContext() == this.context) {
			this.connection.ready();
		}
	}

	@Override
	public void destroy() {
		this.closing.set(true);
		this.connection.close();
	}

	private void close(String why, @Nullable Instant deadline) {
		if (!this.closing.compareAndSet(false, true)) {
			return;
		}
		logger.info("Closing the application: " + why);
		this.connection.stopping();
		if (deadline != null) {
			Thread watchdog = new Thread(() -> {
				Duration left = Duration.between(Instant.now(), deadline);
				LockSupport.parkNanos(Math.max(0, left.toNanos()));
				logger.warn("The application did not close by its deadline; halting");
				Runtime.getRuntime().halt(1);
			}, "supervised-stop-watchdog");
			watchdog.setDaemon(true);
			watchdog.start();
		}
		new Thread(() -> System.exit(SpringApplication.exit(this.context)), "supervised-stop").start();
	}

}
