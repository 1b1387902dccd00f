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

package dev.supervisor.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.supervisor.shutdown.Deadline;

/**
 * Builds supervisors for tests, records their events and closes them afterwards.
 *
 * @author the supervisor authors
 */
final class TestSupervisors implements AutoCloseable {

	private final List<Supervisor> supervisors = new ArrayList<>();

	final List<SupervisorEvent> events = new CopyOnWriteArrayList<>();

	Supervisor create(WorkerSpec... specs) {
		return create((options) -> options, specs);
	}

	Supervisor create(java.util.function.UnaryOperator<SupervisorOptions> customizer, WorkerSpec... specs) {
		SupervisorOptions options = customizer.apply(SupervisorOptions.defaults()
			.withDefaultStopTimeout(Duration.ofSeconds(5))
			.withListener(this.events::add));
		Supervisor supervisor = new Supervisor(List.of(specs), options);
		this.supervisors.add(supervisor);
		return supervisor;
	}

	static WorkerSpec.Builder sh(String name, String script) {
		return WorkerSpec.builder(name, List.of("sh", "-c", script))
			.readiness(new Readiness.Uptime(Duration.ofMillis(200)));
	}

	<T extends SupervisorEvent> List<T> events(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	void forEachEvent(Consumer<SupervisorEvent> action) {
		this.events.forEach(action);
	}

	@Override
	public void close() {
		for (Supervisor supervisor : this.supervisors) {
			supervisor.stop(Deadline.after(Duration.ofSeconds(2))).join();
			supervisor.close();
		}
	}

}
