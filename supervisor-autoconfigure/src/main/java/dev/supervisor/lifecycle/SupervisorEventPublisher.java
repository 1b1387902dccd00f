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

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the supervisor's {@link SupervisorEvent events} (replica started, ready,
 * exited, restarting; group gave up) as Spring application events, so that an application
 * can react with a plain {@code @EventListener}:
 *
 * <pre class="code">
 * &#64;EventListener
 * void onExit(SupervisorEvent.ReplicaExited exited) { ... }
 * </pre>
 *
 * Events are published in the order they happened, on a thread of their own, so a slow
 * listener never holds up the supervisor.
 *
 * @author the supervisor authors
 */
public class SupervisorEventPublisher implements SupervisorListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(SupervisorEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	private final ExecutorService executor;

	/**
	 * Create a publisher.
	 * @param publisher where events are published
	 */
	public SupervisorEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "supervisor-events");
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.executor = executor;
	}

	@Override
	public void onEvent(SupervisorEvent event) {
		try {
			this.executor.execute(() -> {
				try {
					this.publisher.publishEvent(event);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not publish " + event, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// The context is closed: a replica reaped after the deadline has no one to
			// tell
			logger.debug("Not publishing " + event + ": the application context is closed");
		}
	}

	/**
	 * Publish what is queued, then stop.
	 */
	@Override
	public void destroy() throws InterruptedException {
		this.executor.shutdown();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

}
