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

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.supervisor.lifecycle.SupervisedApplication;
import dev.supervisor.worker.Protocol;
import dev.supervisor.worker.SupervisorConnection;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for an application that runs as a worker of a supervisor with a
 * control channel: it is active only when the environment names one, so outside a
 * supervisor nothing of it exists.
 *
 * @author the supervisor authors
 */
@AutoConfiguration
@ConditionalOnProperty(name = { Protocol.SOCKET, Protocol.SECRET })
public final class SupervisedWorkerAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SupervisorConnection supervisorConnection(Environment environment) throws IOException {
		Map<String, String> variables = new HashMap<>();
		for (String name : List.of(Protocol.SOCKET, Protocol.SECRET, Protocol.HEARTBEAT, Protocol.GRACE)) {
			String value = environment.getProperty(name);
			if (value != null) {
				variables.put(name, value);
			}
		}
		return SupervisorConnection.connect(variables)
			.orElseThrow(() -> new IllegalStateException(
					Protocol.SOCKET + " and " + Protocol.SECRET + " must be set by the supervisor"));
	}

	@Bean
	@ConditionalOnMissingBean
	SupervisedApplication supervisedApplication(SupervisorConnection connection,
			ConfigurableApplicationContext context) {
		return new SupervisedApplication(connection, context);
	}

}
