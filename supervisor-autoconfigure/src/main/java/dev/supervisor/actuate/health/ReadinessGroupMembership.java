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

package dev.supervisor.actuate.health;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Puts the {@code supervisor} health contributor into the {@code readiness} health group,
 * so that a readiness probe keeps traffic away until the workers are ready. Liveness is
 * left alone: restarting the application does not fix a worker. Applies only when the
 * application does not list the readiness group's members itself.
 *
 * @author the supervisor authors
 */
public class ReadinessGroupMembership implements HealthEndpointGroupsPostProcessor {

	/** The name of the health group. */
	public static final String READINESS = "readiness";

	private final String member;

	/**
	 * Create a post-processor.
	 * @param member the health contributor to add
	 */
	public ReadinessGroupMembership(String member) {
		this.member = member;
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		HealthEndpointGroup readiness = groups.get(READINESS);
		if (readiness == null) {
			return groups;
		}
		HealthEndpointGroup withMember = new WithMember(readiness, this.member);
		return new HealthEndpointGroups() {

			@Override
			public HealthEndpointGroup getPrimary() {
				return groups.getPrimary();
			}

			@Override
			public java.util.Set<String> getNames() {
				return groups.getNames();
			}

			@Override
			public @Nullable HealthEndpointGroup get(String name) {
				return READINESS.equals(name) ? withMember : groups.get(name);
			}

		};
	}

	private record WithMember(HealthEndpointGroup delegate, String member) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return this.member.equals(name) || this.delegate.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.delegate.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.delegate.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.delegate.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.delegate.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.delegate.getAdditionalPath();
		}

	}

}
