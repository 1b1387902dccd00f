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

import java.util.Map;

import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Group;
import dev.supervisor.actuate.endpoint.SupervisorEndpoint;
import dev.supervisor.actuate.endpoint.SupervisorEndpointWebExtension;
import dev.supervisor.actuate.health.SupervisorHealthIndicator;
import dev.supervisor.actuate.metrics.SupervisorMetrics;
import dev.supervisor.process.Supervisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the actuator auto-configurations: each one on, off, and without its
 * libraries.
 *
 * @author the supervisor authors
 */
class SupervisorActuatorAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class, SupervisorEndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				SupervisorHealthAutoConfiguration.class, SupervisorMetricsAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=supervisor,health",
				"supervisor.workers.w.command=sh,-c,exec sleep 1000,sh,--token=abc123",
				"supervisor.workers.w.environment.PASSWORD=hunter2", "supervisor.workers.w.readiness.min-uptime=100ms");

	@Test
	void endpointIsReadOnlyByDefaultAndMasksValues() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SupervisorEndpoint.class)
				.hasSingleBean(SupervisorEndpointWebExtension.class);
			Group group = context.getBean(SupervisorEndpoint.class).group("w");
			assertThat(group.environment()).containsExactly(Map.entry("PASSWORD", "******"));
			assertThat(group.command()).contains("--token=******").doesNotContain("--token=abc123");
		});
	}

	@Test
	void valuesAreShownWhenAskedFor() {
		this.runner.withPropertyValues("management.endpoint.supervisor.show-values=always").run((context) -> {
			Group group = context.getBean(SupervisorEndpoint.class).group("w");
			assertThat(group.environment()).containsExactly(Map.entry("PASSWORD", "hunter2"));
			assertThat(group.command()).contains("--token=abc123");
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void writeAccessWithoutSpringSecurityIsWarnedAbout(CapturedOutput output) {
		String warning = "The supervisor endpoint's write operations (restart and scale) are enabled";
		this.runner.run((context) -> assertThat(output).doesNotContain(warning));
		this.runner.withPropertyValues("management.endpoint.supervisor.access=UNRESTRICTED")
			.run((context) -> assertThat(output).contains(warning + " (management.endpoint.supervisor.access"
					+ "=unrestricted) and Spring Security is not on the class path"));
	}

	@Test
	void endpointCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.endpoint.supervisor.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorEndpoint.class));
	}

	@Test
	void endpointNeedsTheActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Supervisor.class)
				.doesNotHaveBean(SupervisorEndpoint.class));
	}

	@Test
	void healthIndicatorIsOnByDefaultAndCanBeSwitchedOff() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SupervisorHealthIndicator.class));
		this.runner.withPropertyValues("management.health.supervisor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisorHealthIndicator.class));
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorHealthIndicator.class));
	}

	@Test
	void supervisorJoinsTheReadinessGroupUnlessTheApplicationListsItsMembers() {
		this.runner.run((context) -> {
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			assertThat(groups.get("readiness").isMember("supervisor")).isTrue();
			assertThat(groups.get("liveness").isMember("supervisor")).isFalse();
		});
		this.runner.withPropertyValues("management.endpoint.health.group.readiness.include=readinessState")
			.run((context) -> assertThat(
					context.getBean(HealthEndpointGroups.class).get("readiness").isMember("supervisor"))
				.isFalse());
	}

	@Test
	void metricsNeedAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SupervisorMetrics.class));
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(SupervisorMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(SupervisorMetrics.class).bindTo(registry);
			assertThat(registry.get("supervisor.children.alive").tag("worker", "w").gauge().value()).isEqualTo(1);
		});
		this.runner.withBean(SimpleMeterRegistry.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SupervisorMetrics.class));
	}

}
