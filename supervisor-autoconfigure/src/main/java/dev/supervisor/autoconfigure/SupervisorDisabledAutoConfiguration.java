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

import java.time.Duration;

import dev.supervisor.lifecycle.ShutdownCancellation;
import dev.supervisor.shutdown.CancellationToken;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for an application whose supervisor is turned off
 * ({@code supervisor.enabled=false}): no worker, no supervisor bean, but the
 * {@link CancellationToken} still exists, and is cancelled when the application context
 * starts closing, so that code taking it runs unchanged.
 *
 * @author the supervisor authors
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "supervisor.enabled", havingValue = false)
public final class SupervisorDisabledAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ShutdownCancellation supervisorShutdownCancellation(Environment environment,
			ConfigurableApplicationContext context) {
		Duration timeout = Binder.get(environment)
			.bind("supervisor.shutdown.timeout", Duration.class)
			.orElseGet(() -> new SupervisorProperties.Shutdown().getTimeout());
		return new ShutdownCancellation(timeout, context);
	}

	@Bean
	@ConditionalOnMissingBean
	CancellationToken supervisorCancellationToken(ShutdownCancellation cancellation) {
		return cancellation.cancellationToken();
	}

}
