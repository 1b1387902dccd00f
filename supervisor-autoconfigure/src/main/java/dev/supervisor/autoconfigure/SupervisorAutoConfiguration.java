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

package dev.supervisor.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.supervisor.lifecycle.ApplicationShutdown;
import dev.supervisor.lifecycle.GiveUpShutdown;
import dev.supervisor.lifecycle.SpringApplicationShutdown;
import dev.supervisor.lifecycle.ShutdownReports;
import dev.supervisor.lifecycle.SupervisorEventPublisher;
import dev.supervisor.lifecycle.SupervisorLifecycle;
import dev.supervisor.lifecycle.WebServerDrain;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorListener;
import dev.supervisor.process.SupervisorOptions;
import dev.supervisor.process.WorkerSpec;
import dev.supervisor.shutdown.CancellationToken;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration for supervising worker processes.
 *
 * @author the supervisor authors
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "supervisor.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SupervisorProperties.class)
public final class SupervisorAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Supervisor supervisor(SupervisorProperties properties, ObjectProvider<SupervisorListener> listeners,
			ConfigurableApplicationContext context) {
		WorkerPropertyNames.check(context.getEnvironment());
		List<WorkerSpec> specs = WorkerSpecs.from(properties, context.getClassLoader(), serverPort(context));
		ShutdownBudget.check(properties, context.getEnvironment());
		SupervisorOptions options = SupervisorOptions.defaults()
			.withDefaultStopTimeout(properties.getShutdown().getTimeout())
			.withOrphanGuard(properties.getOrphanGuard().isEnabled(), properties.getOrphanGuard().getGracePeriod())
			.withIdentity(identity(properties, context.getEnvironment()))
			.withNativeAccess(properties.getNativeAccess().isEnabled())
			.withListener(new ListenerBeans(listeners));
		return new Supervisor(specs, options);
	}

	@Bean
	@ConditionalOnMissingBean
	SupervisorLifecycle supervisorLifecycle(Supervisor supervisor, SupervisorProperties properties,
			ConfigurableApplicationContext context, ShutdownReports reports, ObjectProvider<WebServerDrain> webServer) {
		return new SupervisorLifecycle(supervisor, properties.getShutdown().getTimeout(),
				properties.getShutdown().getDrainDelay(), context, reports, webServer.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ShutdownReports supervisorShutdownReports(ApplicationEventPublisher publisher) {
		return new ShutdownReports(publisher);
	}

	@Bean
	static WebServerDrain supervisorWebServerDrain() {
		return new WebServerDrain();
	}

	@Bean
	@ConditionalOnMissingBean
	CancellationToken supervisorCancellationToken(SupervisorLifecycle lifecycle) {
		return lifecycle.cancellationToken();
	}

	@Bean
	@ConditionalOnMissingBean
	ApplicationShutdown supervisorApplicationShutdown(ConfigurableApplicationContext context) {
		return new SpringApplicationShutdown(context);
	}

	@Bean
	GiveUpShutdown supervisorGiveUpShutdown(ApplicationShutdown applicationShutdown,
			ConfigurableApplicationContext context) {
		return new GiveUpShutdown(applicationShutdown, context);
	}

	@Bean
	@ConditionalOnMissingBean
	SupervisorEventPublisher supervisorEventPublisher(ApplicationEventPublisher publisher) {
		return new SupervisorEventPublisher(publisher);
	}

	/**
	 * Return the fixed port of the application's own web server, if it has one: the
	 * configured {@code server.port}, or Spring Boot's default for a web server
	 * application that configures none.
	 */
	private static @Nullable Integer serverPort(ConfigurableApplicationContext context) {
		Integer configured = context.getEnvironment().getProperty("server.port", Integer.class);
		if (configured != null) {
			return (configured > 0) ? configured : null;
		}
		return WebServers.isWebServerContext(context) ? 8080 : null;
	}

	/**
	 * Return the identity marked on every worker process, by which leftovers of an
	 * earlier run are found: the application's name and working directory unless
	 * configured.
	 */
	private static @Nullable String identity(SupervisorProperties properties, Environment environment) {
		SupervisorProperties.Leftovers leftovers = properties.getLeftovers();
		if (!leftovers.isEnabled()) {
			return null;
		}
		if (leftovers.getIdentity() != null) {
			return leftovers.getIdentity();
		}
		return environment.getProperty("spring.application.name", "application") + "@" + Path.of("").toAbsolutePath();
	}

	/**
	 * Tells whether the context runs a web server, without needing the web server module.
	 */
	private static final class WebServers {

		private static final boolean PRESENT = ClassUtils.isPresent(
				"org.springframework.boot.web.server.context.WebServerApplicationContext",
				WebServers.class.getClassLoader());

		static boolean isWebServerContext(ConfigurableApplicationContext context) {
			return PRESENT && context instanceof WebServerApplicationContext;
		}

	}

	/**
	 * The {@link SupervisorListener} beans, looked up at the first event: by then every
	 * bean exists, and listeners may depend on the supervisor themselves.
	 */
	private static final class ListenerBeans implements SupervisorListener {

		private final ObjectProvider<SupervisorListener> provider;

		private volatile @Nullable List<SupervisorListener> listeners;

		ListenerBeans(ObjectProvider<SupervisorListener> provider) {
			this.provider = provider;
		}

		@Override
		public void onEvent(SupervisorEvent event) {
			List<SupervisorListener> resolved = this.listeners;
			if (resolved == null) {
				resolved = this.provider.orderedStream().toList();
				this.listeners = resolved;
			}
			resolved.forEach((listener) -> listener.onEvent(event));
		}

	}

}
