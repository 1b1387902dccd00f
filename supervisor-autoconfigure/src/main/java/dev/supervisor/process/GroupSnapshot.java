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

import java.util.List;

/**
 * A consistent picture of one worker group.
 *
 * @param name the group's name
 * @param state the group's state
 * @param desired how many replicas it should run
 * @param replicas its replicas
 * @param droppedLines output lines dropped because logging could not keep up
 * @param droppedBytes bytes of those lines
 * @author the supervisor authors
 */
public record GroupSnapshot(String name, GroupState state, int desired, List<ReplicaSnapshot> replicas,
		long droppedLines, long droppedBytes) {

	/**
	 * Return how many replica processes are alive.
	 * @return the count
	 */
	public int alive() {
		return (int) this.replicas.stream().filter((replica) -> replica.pid() != null).count();
	}

	/**
	 * Return how many replicas are ready.
	 * @return the count
	 */
	public int ready() {
		return (int) this.replicas.stream().filter((replica) -> replica.state() == ReplicaState.READY).count();
	}

}
