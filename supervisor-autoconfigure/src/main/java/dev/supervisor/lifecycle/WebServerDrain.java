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
import java.util.concurrent.CompletableFuture;

import dev.supervisor.shutdown.Deadline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Records when the web server's graceful shutdown begins and ends, for the shutdown
 * report: it wraps Spring Boot's {@code webServerGracefulShutdown} lifecycle bean and
 * changes nothing about what it does.
 * <p>
 * Spring Boot registers that bean as a ready-made singleton while it creates the web
 * server, so no bean post-processor sees it. Once every singleton exists, and before the
 * lifecycle beans are started, the singleton is replaced by the recording wrapper under
 * the same name.
 *
 * @author the supervisor authors
 */
public class WebServerDrain implements SmartInitializingSingleton, BeanFactoryAware {

	static final String BEAN_NAME = "webServerGracefulShutdown";

	private static final Log logger = LogFactory.getLog(WebServerDrain.class);

	private volatile @Nullable Instant began;

	private final CompletableFuture<Instant> ended = new CompletableFuture<>();

	private volatile boolean present;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!(this.beanFactory instanceof DefaultListableBeanFactory registry)
				|| !registry.containsSingleton(BEAN_NAME)) {
			return;
		}
		Object lifecycle = registry.getSingleton(BEAN_NAME);
		if (lifecycle instanceof SmartLifecycle delegate && !(lifecycle instanceof Recording)
				&& !registry.containsBeanDefinition(BEAN_NAME)) {
			registry.destroySingleton(BEAN_NAME);
			registry.registerSingleton(BEAN_NAME, new Recording(delegate));
			this.present = true;
		}
		else {
			logger.debug("Not recording the web server's drain: '" + BEAN_NAME + "' is " + lifecycle);
		}
	}

	/**
	 * Return whether the application has a web server that drains gracefully.
	 * @return {@code true} if it has one
	 */
	boolean present() {
		return this.present;
	}

	/**
	 * Return a future that completes when the drain has ended.
	 * @return the future
	 */
	CompletableFuture<Instant> ended() {
		return this.ended;
	}

	/**
	 * Describe the drain so far.
	 * @param deadline the shutdown deadline
	 * @return the drain, or {@code null} if it never began
	 */
	ShutdownReport.@Nullable WebDrain describe(Deadline deadline) {
		Instant start = this.began;
		if (start == null) {
			return null;
		}
		Instant end = this.ended.getNow(null);
		return new ShutdownReport.WebDrain(start, (end != null) ? Duration.between(start, end) : null,
				end != null && !end.isAfter(deadline.instant()));
	}

	private final class Recording implements SmartLifecycle {

		private final SmartLifecycle delegate;

		Recording(SmartLifecycle delegate) {
			this.delegate = delegate;
		}

		@Override
		public void start() {
			this.delegate.start();
		}

		@Override
		public void stop() {
			this.delegate.stop();
		}

		@Override
		public void stop(Runnable callback) {
			WebServerDrain.this.began = Instant.now();
			this.delegate.stop(() -> {
				WebServerDrain.this.ended.complete(Instant.now());
				callback.run();
			});
		}

		@Override
		public boolean isRunning() {
			return this.delegate.isRunning();
		}

		@Override
		public boolean isAutoStartup() {
			return this.delegate.isAutoStartup();
		}

		@Override
		public boolean isPauseable() {
			return this.delegate.isPauseable();
		}

		@Override
		public int getPhase() {
			return this.delegate.getPhase();
		}

	}

}
