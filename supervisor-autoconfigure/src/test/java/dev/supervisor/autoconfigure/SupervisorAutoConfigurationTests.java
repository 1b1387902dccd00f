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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.supervisor.lifecycle.SupervisorLifecycle;
import dev.supervisor.process.Supervisor;
import dev.supervisor.process.SupervisorOptions;
import dev.supervisor.shutdown.CancellationToken;
import dev.supervisor.web.CancellationExceptionResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SupervisorAutoConfiguration} and the validation of its properties.
 *
 * @author the supervisor authors
 */
class SupervisorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class));

	@TempDir
	static Path dir;

	@Test
	void withoutWorkersNothingHappensAndNothingFails() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Supervisor.class).hasSingleBean(SupervisorLifecycle.class);
			assertThat(context.getBean(Supervisor.class).workers()).isEmpty();
			assertThat(context.getBean(SupervisorLifecycle.class).isRunning()).isTrue();
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().startsWith("supervisor"));
		});
	}

	@Test
	void cancellationTokenIsInjectableAndFiresWhenTheContextCloses() {
		this.runner.run((context) -> {
			CancellationToken token = context.getBean(CancellationToken.class);
			assertThat(token.isCancellationRequested()).isFalse();
			context.close();
			assertThat(token.isCancellationRequested()).isTrue();
			assertThat(token.deadline()).isPresent();
		});
	}

	@Test
	void closingTheContextRefusesTrafficWhenTheTokenFires() {
		List<String> seen = new ArrayList<>();
		this.runner.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
			.withBean("readinessRecorder", ApplicationListener.class,
					() -> (ApplicationListener<AvailabilityChangeEvent<?>>) (event) -> seen
						.add(event.getState().toString()))
			.run((context) -> {
				// What SpringApplication publishes once the application is ready
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				CancellationToken token = context.getBean(CancellationToken.class);
				token.onCancellation(() -> seen.add("token fired"));
				context.close();
			});
		assertThat(seen).containsExactly("ACCEPTING_TRAFFIC", "REFUSING_TRAFFIC", "token fired");
	}

	@Test
	void webSupportNeedsAServletWebApplication() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SupervisorAutoConfiguration.class, SupervisorWebMvcAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(CancellationExceptionResolver.class));
		this.runner.withConfiguration(AutoConfigurations.of(SupervisorWebMvcAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CancellationExceptionResolver.class));
	}

	@Test
	void canBeTurnedOff() {
		this.runner.withPropertyValues("supervisor.enabled=false", "supervisor.workers.a.command=sleep,1000")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Supervisor.class)
				.doesNotHaveBean(SupervisorLifecycle.class));
	}

	@Test
	void turnedOffTheTokenStillExistsAndFiresWhenTheContextCloses() {
		this.runner.withConfiguration(AutoConfigurations.of(SupervisorDisabledAutoConfiguration.class))
			.withPropertyValues("supervisor.enabled=false", "supervisor.shutdown.timeout=7s",
					"supervisor.workers.a.command=sleep,1000")
			.withBean(TokenUser.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(Supervisor.class);
				CancellationToken token = context.getBean(TokenUser.class).token;
				assertThat(token.isCancellationRequested()).isFalse();
				context.close();
				assertThat(token.isCancellationRequested()).isTrue();
				assertThat(token.remaining()).isGreaterThan(Duration.ofSeconds(5))
					.isLessThanOrEqualTo(Duration.ofSeconds(7));
			});
		this.runner.withConfiguration(AutoConfigurations.of(SupervisorDisabledAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(CancellationToken.class)
				.hasSingleBean(SupervisorLifecycle.class));
	}

	@Test
	void turnedOffControllersStillTakeTheToken() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SupervisorAutoConfiguration.class,
					SupervisorDisabledAutoConfiguration.class, SupervisorWebMvcAutoConfiguration.class))
			.withPropertyValues("supervisor.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CancellationExceptionResolver.class)
				.hasSingleBean(CancellationToken.class)
				.doesNotHaveBean(Supervisor.class));
	}

	@Test
	void nativeAccessCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(context.getBean(Supervisor.class).options().nativeAccess()).isTrue());
		this.runner.withPropertyValues("supervisor.native-access.enabled=false")
			.run((context) -> assertThat(context.getBean(Supervisor.class).options().nativeAccess()).isFalse());
	}

	@Test
	void userDefinedSupervisorIsUsed() {
		this.runner.withUserConfiguration(CustomSupervisor.class)
			.withPropertyValues("supervisor.workers.a.command=does-not-exist")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(Supervisor.class)
				.isSameAs(context.getBean(CustomSupervisor.class).supervisor));
	}

	@Test
	void startsWorkersWithTheContextAndStopsThemWithIt() {
		this.runner
			.withPropertyValues("supervisor.workers.sleeper.command=sleep,1000",
					"supervisor.workers.sleeper.replicas=2", "supervisor.workers.sleeper.readiness.min-uptime=100ms")
			.run((context) -> {
				Supervisor supervisor = context.getBean(Supervisor.class);
				assertThat(supervisor.snapshot("sleeper").ready()).isEqualTo(2);
				List<Long> pids = supervisor.snapshot("sleeper").replicas().stream().map((r) -> r.pid()).toList();
				assertThat(pids).allMatch((pid) -> ProcessHandle.of(pid).isPresent());
				((GenericApplicationContext) context.getSourceApplicationContext()).close();
				assertThat(pids).allMatch((pid) -> ProcessHandle.of(pid).map((p) -> !p.isAlive()).orElse(true));
			});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidConfigurations")
	void invalidConfigurationFailsBeforeAnyProcessStarts(String property, String reason, String[] properties) {
		Path marker = dir.resolve("started-" + Math.abs(property.hashCode()));
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("supervisor.workers.aaa-good.command=sh,-c,touch '" + marker + "'; exec sleep 1000");
		this.runner.withPropertyValues(all.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getReason()).contains(reason);
				});
			assertThat(marker).doesNotExist();
		});
	}

	static Stream<Arguments> invalidConfigurations() throws Exception {
		Path notExecutable = Files.createFile(dir.resolve("not-executable"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
		String w = "supervisor.workers.w.";
		return Stream.of(invalid(w + "command", "has no command", w + "environment.A=1"),
				invalid(w + "command", "has no command", w + "command="),
				invalid(w + "replicas", "at least one replica", w + "command=sleep,1", w + "replicas=0"),
				invalid(w + "replicas", "at least one replica", w + "command=sleep,1", w + "replicas=-2"),
				invalid(w + "readiness.pattern", "needs a regular expression", w + "command=sleep,1",
						w + "readiness.type=log"),
				invalid(w + "readiness.pattern", "Not a valid regular expression", w + "command=sleep,1",
						w + "readiness.type=log", w + "readiness.pattern=(unclosed"),
				invalid(w + "readiness.url", "needs a URL", w + "command=sleep,1", w + "readiness.type=http"),
				invalid(w + "readiness.url", "Not a valid http URL", w + "command=sleep,1", w + "readiness.type=http",
						w + "readiness.url=ftp://host/x"),
				invalid(w + "readiness.port", "between 1 and 65535", w + "command=sleep,1", w + "readiness.type=tcp",
						w + "readiness.port=70000"),
				invalid(w + "startup-timeout", "positive duration", w + "command=sleep,1", w + "startup-timeout=0s"),
				invalid(w + "stop-timeout", "positive duration", w + "command=sleep,1", w + "stop-timeout=-1s"),
				invalid(w + "backoff.initial", "positive duration", w + "command=sleep,1", w + "backoff.initial=0ms"),
				invalid(w + "crash-loop.window", "positive duration", w + "command=sleep,1",
						w + "crash-loop.window=0s"),
				invalid(w + "readiness.min-uptime", "shorter than the startup timeout", w + "command=sleep,1",
						w + "readiness.min-uptime=2m"),
				invalid("supervisor.shutdown.timeout", "positive duration", "supervisor.shutdown.timeout=0s"),
				invalid(w + "working-directory", "does not exist", w + "command=sleep,1",
						w + "working-directory=/no/such/directory"),
				invalid(w + "command", "was not found on the PATH", w + "command=pyhton3,app.py"),
				invalid(w + "command", "does not exist", w + "command=/no/such/program"),
				invalid(w + "command", "is not executable", w + "command=" + notExecutable),
				invalid(w + "command", "Unknown placeholder ${supervisor.replica.number}",
						w + "command=echo,${supervisor.replica.number}"),
				invalid(w + "java.main-class", "was not found on the application's class path",
						w + "java.main-class=com.example.Missing"),
				invalid(w + "command", "sets both a command and java.main-class", w + "command=sleep,1",
						w + "java.main-class=" + SupervisorAutoConfigurationTests.class.getName()),
				invalid(w + "output.mode", "needs output.mode log", w + "command=sleep,1", w + "readiness.type=log",
						w + "readiness.pattern=x", w + "output.mode=discard"),
				invalid("supervisor.workers", "Worker names may contain only",
						"supervisor.workers[bad name].command=sleep,1"),
				// A typo in a placeholder names the property it is in, wherever it is
				invalid(w + "readiness.url",
						"Unknown placeholder ${supervisor.replica.prot}. Did you mean ${supervisor.replica.port}?",
						w + "command=sleep,1", w + "readiness.type=http",
						w + "readiness.url=http://127.0.0.1:${supervisor.replica.prot}/health"),
				invalid(w + "environment.LISTEN", "Unknown placeholder ${supervisor.replica.prot}",
						w + "command=sleep,1", w + "environment.LISTEN=${supervisor.replica.prot}"),
				invalid(w + "java.args", "Unknown placeholder ${supervisor.worker.nmae}",
						w + "java.main-class=" + SupervisorAutoConfigurationTests.class.getName(),
						w + "java.args=${supervisor.worker.nmae}"),
				invalid(w + "readiness.url", "names no host", w + "command=sleep,1", w + "readiness.type=http",
						w + "readiness.url=http:///health"),
				invalid(w + "replicas", "At most 1000 replicas of a worker are allowed (supervisor.max-replicas)",
						w + "command=sleep,1", w + "replicas=100000"),
				invalid(w + "replicas", "At most 1000 replicas", w + "command=sleep,1", w + "replicas=5000"),
				invalid(w + "replicas", "At most 3 replicas", "supervisor.max-replicas=3", w + "command=sleep,1",
						w + "replicas=4"),
				invalid(w + "port", "600 replicas need ports 65000 to 65599, beyond 65535", w + "command=sleep,1",
						w + "port=65000", w + "replicas=600"),
				invalid(w + "port", "Ports are between 1 and 65535", w + "command=sleep,1", w + "port=70000"),
				invalid(w + "port", "overlap the ports 9000 to 9001 of worker 'a' (supervisor.workers.a.port)",
						"supervisor.workers.a.command=sleep,1", "supervisor.workers.a.port=9000",
						"supervisor.workers.a.replicas=2", w + "command=sleep,1", w + "port=9001"),
				invalid(w + "port", "include the application's own port 9001 (server.port)", "server.port=9001",
						w + "command=sleep,1", w + "port=9000", w + "replicas=2"),
				invalid(w + "environment.A", "cannot contain a NUL character", w + "command=sleep,1",
						w + "environment.A=x\u0000y"),
				invalid(w + "command", "cannot contain a NUL character", w + "command=echo,x\u0000y"),
				invalid(w + "working-directory", "is a file, not a directory", w + "command=sleep,1",
						w + "working-directory=" + notExecutable));
	}

	@Test
	void environmentVariableNamesTheOperatingSystemCannotTakeFailBeforeAnyProcessStarts() {
		Path marker = dir.resolve("started-by-environment");
		for (String key : List.of("A=B", " ")) {
			this.runner.withPropertyValues("supervisor.workers.good.command=sh,-c,touch '" + marker + "'")
				.withInitializer((context) -> context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("test-environment",
							Map.of("supervisor.workers.w.command", "sleep,1",
									"supervisor.workers.w.environment[" + key + "]", "1"))))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
							assertThat(ex.getName()).startsWith("supervisor.workers.w.environment");
							assertThat(ex.getReason()).containsAnyOf("cannot contain '='", "needs a name");
						});
					assertThat(marker).doesNotExist();
				});
		}
	}

	@Test
	void unknownEnumValuesAreReportedWithTheValidValues() {
		this.runner.withPropertyValues("supervisor.workers.w.command=sleep,1", "supervisor.workers.w.restart=sometimes")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("supervisor.workers.w.restart").contains("sometimes");
				assertThat(analysis.getAction()).contains("ALWAYS", "ON_FAILURE", "NEVER");
			});
		this.runner
			.withPropertyValues("supervisor.workers.w.command=sleep,1", "supervisor.workers.w.readiness.type=smoke")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("supervisor.workers.w.readiness.type");
				assertThat(analysis.getAction()).contains("NONE", "LOG", "TCP", "HTTP");
			});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		List<FailureAnalyzer> analyzers = org.springframework.core.io.support.SpringFactoriesLoader
			.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, (type, name, ex) -> {
				// analyzers that need a bean factory are not needed here
			});
		return analyzers.stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(java.util.Objects::nonNull)
			.findFirst()
			.orElseThrow();
	}

	private static Arguments invalid(String property, String reason, String... properties) {
		return Arguments.of(property, reason, properties);
	}

	static class TokenUser {

		final CancellationToken token;

		TokenUser(CancellationToken token) {
			this.token = token;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSupervisor {

		final Supervisor supervisor = new Supervisor(List.of(), SupervisorOptions.defaults());

		@Bean
		Supervisor mySupervisor() {
			return this.supervisor;
		}

	}

}
