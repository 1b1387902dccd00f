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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.supervisor.process.GroupSnapshot;
import dev.supervisor.process.GroupState;
import dev.supervisor.process.Supervisor;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the worker groups: {@code UP} when every group has its desired replicas
 * ready, {@code DOWN} when a group gave up, {@code OUT_OF_SERVICE} otherwise (starting,
 * restarting, stopping), with the details of each group. An optional group shows in the
 * details but never changes the status.
 *
 * @author the supervisor authors
 */
public class SupervisorHealthIndicator extends AbstractHealthIndicator {

	private final Supervisor supervisor;

	private final Set<String> optional;

	/**
	 * Create an indicator for which every group counts.
	 * @param supervisor the supervisor
	 */
	public SupervisorHealthIndicator(Supervisor supervisor) {
		this(supervisor, Set.of());
	}

	/**
	 * Create an indicator.
	 * @param supervisor the supervisor
	 * @param optional the groups that show in the details but never change the status
	 */
	public SupervisorHealthIndicator(Supervisor supervisor, Set<String> optional) {
		super("Supervisor health check failed");
		this.supervisor = supervisor;
		this.optional = Set.copyOf(optional);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Status status = Status.UP;
		Map<String, Object> workers = new LinkedHashMap<>();
		for (String name : this.supervisor.workers()) {
			GroupSnapshot group = this.supervisor.snapshot(name);
			boolean optional = this.optional.contains(name);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", group.state().name());
			details.put("desired", group.desired());
			details.put("ready", group.ready());
			details.put("alive", group.alive());
			if (optional) {
				details.put("health", "optional");
			}
			workers.put(name, details);
			if (optional) {
				continue;
			}
			if (group.state() == GroupState.FAILED) {
				status = Status.DOWN;
			}
			else if (group.state() != GroupState.RUNNING && status != Status.DOWN) {
				status = Status.OUT_OF_SERVICE;
			}
		}
		builder.status(status).withDetail("workers", workers);
	}

}
