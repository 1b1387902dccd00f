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

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.supervisor.process.Supervisor;
import dev.supervisor.process.WorkerSpec;
import dev.supervisor.test.TestJvm;
import dev.supervisor.testapp.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties under {@code supervisor.workers.<name>} that are not worker properties fail
 * the start, naming the property and the one probably meant, before any process starts.
 *
 * @author the supervisor authors
 */
class UnknownWorkerPropertyTests {

	private static final String API = "supervisor.workers.api.";

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					replica=3                         | supervisor.workers.api.replica          | supervisor.workers.api.replicas
					readyness.type=tcp                | supervisor.workers.api.readyness.type   | supervisor.workers.api.readiness.type
					readiness.tyep=tcp                | supervisor.workers.api.readiness.tyep   | supervisor.workers.api.readiness.type
					backoff.inital=1s                 | supervisor.workers.api.backoff.inital   | supervisor.workers.api.backoff.initial
					java.main-clas=com.example.Main   | supervisor.workers.api.java.main-clas   | supervisor.workers.api.java.main-class
					startupTimeot=5s                  | supervisor.workers.api.startuptimeot    | supervisor.workers.api.startup-timeout
					url=http://localhost/             | supervisor.workers.api.url              | supervisor.workers.api.readiness.url
					""")
	void unknownPropertyFailsTheStartWithTheOneProbablyMeant(String setting, String property, String meant) {
		Path marker = this.dir.resolve("started");
		this.runner
			.withPropertyValues(API + "command=sleep,1000", API + setting,
					"supervisor.workers.good.command=sh,-c,touch '" + marker + "'; exec sleep 1000")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new UnknownWorkerPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: " + property)
					.contains("Origin: \"" + API)
					.contains("Reason: worker 'api' has no property");
				assertThat(analysis.getAction()).contains("Did you mean " + meant + " instead of " + property + "?")
					.contains("No worker was started.");
				assertThat(marker).doesNotExist();
			});
	}

	@Test
	void applicationWithAMistypedWorkerPropertyExitsWithCode1AndSaysWhatWasMeant() throws Exception {
		Path marker = this.dir.resolve("started");
		try (TestJvm app = TestJvm.start(TestApplication.class, this.dir.resolve("out.log"),
				"--spring.main.web-application-type=none", "--supervisor.workers.api.command=sleep,1000",
				"--supervisor.workers.api.replica=3",
				"--supervisor.workers.good.command=sh,-c,touch '" + marker + "'; exec sleep 1000")) {
			assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.output()).isEqualTo(1);
			assertThat(app.output()).contains("APPLICATION FAILED TO START")
				.contains("Property: supervisor.workers.api.replica")
				.contains("Did you mean supervisor.workers.api.replicas instead of supervisor.workers.api.replica?");
			assertThat(marker).doesNotExist();
		}
	}

	@Test
	void withoutACloseNameTheValidOnesAreListed() {
		this.runner.withPropertyValues(API + "command=sleep,1000", API + "flavour=vanilla", API + "replicas.max=3")
			.run((context) -> {
				FailureAnalysis analysis = new UnknownWorkerPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: " + API + "flavour",
						"Property: " + API + "replicas.max");
				assertThat(analysis.getAction())
					.contains("Fix or remove " + API + "flavour. The properties of " + "supervisor.workers.api are: ")
					.contains("command, ")
					.contains("readiness, ")
					.contains(API + "replicas takes a value and has no properties of its own. Remove " + API
							+ "replicas.max.");
			});
	}

	@Test
	void relaxedNamesMapsAndListIndexesAreValid() {
		this.runner
			.withPropertyValues(API + "command[0]=sleep", API + "command[1]=1000", API + "startupTimeout=5s",
					API + "readiness.minUptime=100ms", API + "environment.ANY_NAME.at.all=x",
					API + "environment[weird.key]=y", API + "java.jvm-args[0]=-Xmx8m", API + "crash_loop.window=2m",
					API + "output.max-line-length=1KB", API + "health=optional")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WorkerSpec spec = context.getBean(Supervisor.class).spec("api");
				assertThat(spec.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(spec.crashLoop().window()).isEqualTo(Duration.ofMinutes(2));
				assertThat(spec.environment()).containsEntry("weird.key", "y");
			});
	}

	@Test
	void environmentVariablesThatSpringBootBindsAreValid() {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("SUPERVISOR_WORKERS_API_COMMAND_0_", "sleep");
		variables.put("SUPERVISOR_WORKERS_API_COMMAND_1_", "1000");
		// The legacy form, with '_' for '-', binds too
		variables.put("SUPERVISOR_WORKERS_API_STARTUP_TIMEOUT", "5s");
		variables.put("SUPERVISOR_WORKERS_API_READINESS_MINUPTIME", "100ms");
		variables.put("SUPERVISOR_WORKERS_API_CRASH_LOOP_MAX_RESTARTS", "7");
		variables.put("SUPERVISOR_WORKERS_API_ENVIRONMENT_SOME_VAR", "x");
		// Not a worker property
		variables.put("SUPERVISOR_WORKER", "api");
		variables.put("SUPERVISOR_NOTIFY_SOCKET", "/tmp/x");
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource(
						StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WorkerSpec spec = context.getBean(Supervisor.class).spec("api");
				assertThat(spec.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(spec.crashLoop().maxRestarts()).isEqualTo(7);
			});
	}

	@Test
	void unknownEnvironmentVariableIsNamedWithTheVariableMeant() {
		this.runner.withPropertyValues(API + "command=sleep,1000")
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("SUPERVISOR_WORKERS_API_REPLICA", "3"))))
			.run((context) -> {
				FailureAnalysis analysis = new UnknownWorkerPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: " + API + "replica")
					.contains("SUPERVISOR_WORKERS_API_REPLICA");
				assertThat(analysis.getAction()).contains(
						"Did you mean " + API + "replicas (environment variable SUPERVISOR_WORKERS_API_REPLICAS)");
			});
	}

	@Test
	void propertiesFromAnySourceAreChecked() {
		this.runner.withPropertyValues(API + "command=sleep,1000")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("yaml", Map.of(API + "readiness.patern", "ready"))))
			.run((context) -> assertThat(
					new UnknownWorkerPropertyFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
				.contains("Did you mean " + API + "readiness.pattern"));
	}

}
