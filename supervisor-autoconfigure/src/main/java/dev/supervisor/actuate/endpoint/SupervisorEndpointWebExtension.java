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

package dev.supervisor.actuate.endpoint;

import java.util.Map;
import java.util.Set;

import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Group;
import dev.supervisor.actuate.endpoint.SupervisorDescriptors.Workers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code supervisor} endpoint over HTTP: values shown to authorized users when
 * {@code show-values} is {@code when-authorized}, 404 for an unknown worker group and 400
 * with a message for bad input.
 *
 * @author the supervisor authors
 */
@EndpointWebExtension(endpoint = SupervisorEndpoint.class)
public class SupervisorEndpointWebExtension {

	private final SupervisorEndpoint delegate;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 * @param showValues when values are shown unmasked
	 * @param roles the roles that may see them with {@code when-authorized}
	 */
	public SupervisorEndpointWebExtension(SupervisorEndpoint delegate, Show showValues, Set<String> roles) {
		this.delegate = delegate;
		this.showValues = showValues;
		this.roles = roles;
	}

	@ReadOperation
	public Workers workers(SecurityContext securityContext) {
		return this.delegate.workers(this.showValues.isShown(securityContext, this.roles));
	}

	@ReadOperation
	public WebEndpointResponse<Group> group(SecurityContext securityContext, @Selector String name) {
		Group group = this.delegate.group(name, this.showValues.isShown(securityContext, this.roles));
		return (group != null) ? new WebEndpointResponse<>(group)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	@WriteOperation
	public WebEndpointResponse<Object> change(SecurityContext securityContext, @Selector String name,
			@Selector String action, @Nullable Integer replica, @Nullable Integer replicas) {
		try {
			return new WebEndpointResponse<>(this.delegate.change(name, action, replica, replicas,
					this.showValues.isShown(securityContext, this.roles)));
		}
		catch (SupervisorEndpoint.UnknownWorkerException ex) {
			return new WebEndpointResponse<>(Map.of("message", ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(Map.of("message", ex.getMessage()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

}
