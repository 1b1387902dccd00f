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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Scaling a worker group on real processes.
 *
 * @author the supervisor authors
 */
class ScaleTests {

	private final TestSupervisors supervisors = new TestSupervisors();

	@AfterEach
	void close() {
		this.supervisors.close();
	}

	@Test
	void scaleCompletesOnceTheNewReplicasAreReady() throws Exception {
		Supervisor supervisor = this.supervisors
			.create(TestSupervisors.sh("slow", "sleep 0.3; echo ready; exec sleep 1000")
				.readiness(new Readiness.LogLine(Pattern.compile("ready")))
				.build());
		supervisor.start().get(10, TimeUnit.SECONDS);
		supervisor.scale("slow", 3).get(10, TimeUnit.SECONDS);
		GroupSnapshot group = supervisor.snapshot("slow");
		assertThat(group.ready()).isEqualTo(3);
		assertThat(group.state()).isEqualTo(GroupState.RUNNING);
	}

	@Test
	void scaleBeyondTheLastPortIsRefusedAtOnce() throws Exception {
		Supervisor supervisor = this.supervisors.create(TestSupervisors.sh("fixed", "exec sleep 1000")
			.port(65535)
			.readiness(new Readiness.Uptime(Duration.ofMillis(100)))
			.build());
		supervisor.start().get(10, TimeUnit.SECONDS);
		assertThatIllegalArgumentException().isThrownBy(() -> supervisor.scale("fixed", 2))
			.withMessage("Worker 'fixed' would need ports 65535 to 65536; ports are between 1 and 65535");
		assertThat(supervisor.snapshot("fixed").desired()).isEqualTo(1);
	}

}
