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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor on a system that lacks what a guarantee needs says so once, at WARN, when
 * it is created.
 *
 * @author the supervisor authors
 */
@ExtendWith(OutputCaptureExtension.class)
class PlatformWarningTests {

	private static final Path SH = Path.of("/bin/sh");

	private static final Path SETSID = Path.of("/usr/bin/setsid");

	private static final List<WorkerSpec> WORKERS = List.of(WorkerSpec.builder("w", List.of("sleep", "1"))
		.readiness(new Readiness.Uptime(Duration.ofMillis(10)))
		.build());

	@Test
	void linuxWithProcSetsidAndShellWarnsOfNothing(CapturedOutput output) {
		create(new Platform(false, SETSID, SH, true, null), SupervisorOptions.defaults());
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void windowsSaysWhichGuaranteesItLacksAndWhy(CapturedOutput output) {
		create(new Platform(true, null, null, false, null), SupervisorOptions.defaults().withIdentity("app@/tmp"));
		assertThat(warnings(output)).satisfiesExactly(
				(line) -> assertThat(line).contains("workers outlive the application when it is killed or crashes")
					.contains("Windows"),
				(line) -> assertThat(line)
					.contains("a replica is not asked to stop by a signal but terminated at once"),
				(line) -> assertThat(line).contains("children whose parent exited are not found"),
				(line) -> assertThat(line).contains("leftovers of a crashed earlier run are not looked for")
					.contains("no /proc"));
	}

	@Test
	void macOsWithoutProcAndSetsidSaysSo(CapturedOutput output) {
		create(new Platform(false, null, SH, false, null), SupervisorOptions.defaults().withIdentity("app@/tmp"));
		assertThat(warnings(output)).satisfiesExactly(
				(line) -> assertThat(line).contains("replicas share the application's process group")
					.contains("'setsid' was not found")
					.contains("Ctrl-C"),
				(line) -> assertThat(line).contains("descendants that left a replica's process group are not found")
					.contains("leftovers of a crashed earlier run are not looked for")
					.contains("there is no /proc"));
	}

	@Test
	void withoutAShellTheOrphanGuardAndSignalsByNameAreMissing(CapturedOutput output) {
		create(new Platform(false, SETSID, null, true, null), SupervisorOptions.defaults());
		assertThat(warnings(output)).satisfiesExactly(
				(line) -> assertThat(line).contains("the orphan guard needs a POSIX shell")
					.contains("/bin/sh was not found"),
				(line) -> assertThat(line).contains("only SIGTERM and SIGKILL can be sent"));
	}

	@Test
	void aSupervisorWithoutWorkersWarnsOfNothing(CapturedOutput output) {
		new Supervisor(List.of(), SupervisorOptions.defaults(), new Platform(true, null, null, false, null)).close();
		assertThat(warnings(output)).isEmpty();
	}

	private static void create(Platform platform, SupervisorOptions options) {
		new Supervisor(WORKERS, options, platform).close();
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("WARN")).toList();
	}

}
