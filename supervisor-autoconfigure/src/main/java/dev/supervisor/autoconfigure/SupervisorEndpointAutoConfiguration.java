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

import dev.supervisor.actuate.endpoint.SupervisorEndpoint;
import dev.supervisor.actuate.endpoint.SupervisorEndpointBadRequestResolver;
import dev.supervisor.actuate.endpoint.SupervisorEndpointWebExtension;
import dev.supervisor.lifecycle.ShutdownReports;
import dev.supervisor.process.Supervisor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration for the {@code supervisor} actuator endpoint.
 *
 * @author the supervisor authors
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Supervisor.class)
@ConditionalOnAvailableEndpoint(SupervisorEndpoint.class)
@EnableConfigurationProperties(SupervisorEndpointProperties.class)
public final class SupervisorEndpointAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SupervisorEndpointAutoConfiguration.class);

	private static final EndpointId ID = EndpointId.of("supervisor");

	private static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	SupervisorEndpoint supervisorEndpoint(Supervisor supervisor, ObjectProvider<SanitizingFunction> sanitizingFunctions,
			SupervisorEndpointProperties properties, ObjectProvider<ShutdownReports> reports,
			ObjectProvider<SupervisorProperties> supervisorProperties, ObjectProvider<EndpointAccessResolver> access,
			ConfigurableApplicationContext context) {
		warnIfWritableByAnyone(access.getIfAvailable(), context.getClassLoader());
		SupervisorProperties settings = supervisorProperties.getIfAvailable();
		return new SupervisorEndpoint(supervisor, sanitizingFunctions.orderedStream().toList(),
				properties.getShowValues(), reports.getIfAvailable(),
				(settings != null) ? settings.getMaxReplicas() : SupervisorEndpoint.DEFAULT_MAX_REPLICAS);
	}

	/**
	 * Warn when anyone who reaches the actuator may restart and scale workers: write
	 * access is on and there is no Spring Security to keep strangers out.
	 */
	private static void warnIfWritableByAnyone(@Nullable EndpointAccessResolver access,
			@Nullable ClassLoader classLoader) {
		if (access != null && access.accessFor(ID, Access.READ_ONLY) == Access.UNRESTRICTED
				&& !ClassUtils.isPresent(SPRING_SECURITY, classLoader)) {
			logger.warn("The supervisor endpoint's write operations (restart and scale) are enabled"
					+ " (management.endpoint.supervisor.access=unrestricted) and Spring Security is not on the class"
					+ " path: anyone who can reach the actuator can stop and start workers. Put the actuator behind"
					+ " Spring Security, or set the access to read-only.");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SupervisorEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	SupervisorEndpointWebExtension supervisorEndpointWebExtension(SupervisorEndpoint endpoint,
			SupervisorEndpointProperties properties) {
		return new SupervisorEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
	}

	/**
	 * Messages for write requests whose body Spring MVC cannot read.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnAvailableEndpoint(endpoint = SupervisorEndpoint.class, exposure = EndpointExposure.WEB)
	static class BadRequestConfiguration {

		@Bean
		SupervisorEndpointBadRequestResolver supervisorEndpointBadRequestResolver(
				ObjectProvider<PathMappedEndpoints> endpoints) {
			return new SupervisorEndpointBadRequestResolver(() -> {
				PathMappedEndpoints mapped = endpoints.getIfAvailable();
				return (mapped != null) ? mapped.getPath(ID) : null;
			});
		}

	}

}
