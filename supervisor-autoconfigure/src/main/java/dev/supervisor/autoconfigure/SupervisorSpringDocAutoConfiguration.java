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

import dev.supervisor.shutdown.CancellationToken;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

/**
 * Keeps the {@link CancellationToken} out of the OpenAPI document that springdoc-openapi
 * generates: it is resolved by the server, not sent by clients.
 *
 * @author the supervisor authors
 */
@AutoConfiguration
@ConditionalOnClass(SpringDocUtils.class)
public final class SupervisorSpringDocAutoConfiguration {

	SupervisorSpringDocAutoConfiguration() {
		// springdoc's configuration is global to the JVM; this is the whole integration
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(CancellationToken.class);
	}

}
