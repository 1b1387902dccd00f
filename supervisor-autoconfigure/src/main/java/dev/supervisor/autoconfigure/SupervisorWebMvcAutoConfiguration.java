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

import java.util.List;

import dev.supervisor.shutdown.CancellationToken;
import dev.supervisor.web.CancellationExceptionResolver;
import dev.supervisor.web.CancellationTokenArgumentResolver;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration for the {@link CancellationToken} in Spring MVC: handler methods can
 * declare it, and a request that gives up because of it gets an HTTP 503.
 *
 * @author the supervisor authors
 */
@AutoConfiguration(after = { SupervisorAutoConfiguration.class, SupervisorDisabledAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, WebMvcConfigurer.class })
@ConditionalOnBean(CancellationToken.class)
public final class SupervisorWebMvcAutoConfiguration {

	@Bean
	WebMvcConfigurer supervisorCancellationTokenWebMvcConfigurer(CancellationToken token) {
		CancellationTokenArgumentResolver resolver = new CancellationTokenArgumentResolver(token);
		return new WebMvcConfigurer() {

			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(resolver);
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	CancellationExceptionResolver supervisorCancellationExceptionResolver() {
		return new CancellationExceptionResolver();
	}

	/**
	 * Makes Tomcat's hard stop, which comes at the shutdown deadline, prompt. Requests
	 * that finish are already drained by the graceful shutdown before it; a request that
	 * ignores the deadline would otherwise hold the JVM for another 7 seconds (the
	 * executor's 5 second termination wait plus the servlet's 2 second unload delay);
	 * with these settings it holds it for about 20 milliseconds.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class TomcatStopConfiguration {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> supervisorTomcatStopCustomizer() {
			return (factory) -> {
				factory.addConnectorCustomizers(
						(connector) -> connector.setProperty("executorTerminationTimeoutMillis", "0"));
				factory.addContextCustomizers((context) -> {
					if (context instanceof StandardContext standard) {
						// Tomcat waits a twentieth of this per retry, and 0 would mean
						// for ever
						standard.setUnloadDelay(20);
					}
				});
			};
		}

	}

}
