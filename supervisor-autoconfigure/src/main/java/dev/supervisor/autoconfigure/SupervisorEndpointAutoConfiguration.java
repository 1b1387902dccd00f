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
import dev.supervisor.actuate.endpoint.SupervisorEndpointWebExtension;
import dev.supervisor.lifecycle.ShutdownReports;
import dev.supervisor.process.Supervisor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

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

	@Bean
	@ConditionalOnMissingBean
	SupervisorEndpoint supervisorEndpoint(Supervisor supervisor, ObjectProvider<SanitizingFunction> sanitizingFunctions,
			SupervisorEndpointProperties properties, ObjectProvider<ShutdownReports> reports) {
		return new SupervisorEndpoint(supervisor, sanitizingFunctions.orderedStream().toList(),
				properties.getShowValues(), reports.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SupervisorEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	SupervisorEndpointWebExtension supervisorEndpointWebExtension(SupervisorEndpoint endpoint,
			SupervisorEndpointProperties properties) {
		return new SupervisorEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
	}

}
