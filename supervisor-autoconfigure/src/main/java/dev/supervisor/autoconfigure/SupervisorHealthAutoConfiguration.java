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

import java.util.LinkedHashSet;
import java.util.Set;

import dev.supervisor.actuate.health.ReadinessGroupMembership;
import dev.supervisor.actuate.health.SupervisorHealthIndicator;
import dev.supervisor.process.Supervisor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for the {@code supervisor} health indicator, and its membership of
 * the {@code readiness} health group.
 *
 * @author the supervisor authors
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class,
		afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Supervisor.class)
@ConditionalOnEnabledHealthIndicator("supervisor")
public final class SupervisorHealthAutoConfiguration {

	static final String READINESS_MEMBERS = "management.endpoint.health.group.readiness.include";

	@Bean
	@ConditionalOnMissingBean(name = "supervisorHealthIndicator")
	SupervisorHealthIndicator supervisorHealthIndicator(Supervisor supervisor,
			ObjectProvider<SupervisorProperties> properties) {
		Set<String> optional = new LinkedHashSet<>();
		SupervisorProperties settings = properties.getIfAvailable();
		if (settings != null) {
			settings.getWorkers().forEach((name, worker) -> {
				if (worker.getHealth() == SupervisorProperties.WorkerHealth.OPTIONAL) {
					optional.add(name);
				}
			});
		}
		return new SupervisorHealthIndicator(supervisor, optional);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
	static class ReadinessGroupConfiguration {

		@Bean
		HealthEndpointGroupsPostProcessor supervisorReadinessGroupMembership(Environment environment) {
			boolean userListsMembers = Binder.get(environment)
				.bind(READINESS_MEMBERS, Bindable.setOf(String.class))
				.isBound();
			// Members the application lists are its decision
			return userListsMembers ? (groups) -> groups : new ReadinessGroupMembership("supervisor");
		}

	}

}
