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

package dev.supervisor.lifecycle;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.Container;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Pins the details of Spring Boot, Spring Framework and Tomcat that the one shutdown
 * deadline relies on but that are not public API, in a real web application: when an
 * upgrade moves one of them, a test here fails and says what changed and what to update,
 * instead of shutdowns silently taking the sum of the drains or running past the
 * deadline.
 *
 * @author the supervisor authors
 */
class BootInternalsTests {

	@Test
	void gracefulShutdownPhaseIsTheSupervisorsPhaseAndNeedsNoWebServerAtRunTime() throws Exception {
		int graceful = WebServerApplicationContext.class.getField("GRACEFUL_SHUTDOWN_PHASE").getInt(null);
		assertThat(SupervisorLifecycle.PHASE).as("Spring Boot's WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE is "
				+ "%d at run time, but SupervisorLifecycle.PHASE was compiled as %d: the workers would drain in another "
				+ "phase than the web server, one after the other instead of together. Build against the Spring Boot "
				+ "version the application runs with.", graceful, SupervisorLifecycle.PHASE)
			.isEqualTo(graceful);
		try (URLClassLoader withoutWebServer = classPathWithout("spring-boot-web-server")) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName(WebServerApplicationContext.class.getName(), false, withoutWebServer));
			for (Class<?> type : List.of(SupervisorLifecycle.class, WebServerDrain.class)) {
				assertThatNoException()
					.as("%s cannot be loaded without spring-boot-web-server. That module is optional: an application "
							+ "without a web server does not have it. Use only its compile-time constants (javac "
							+ "copies them), or move the use into a class loaded only with a web server.",
							type.getSimpleName())
					.isThrownBy(() -> Class.forName(type.getName(), true, withoutWebServer).getDeclaredMethods());
			}
			assertThat(Class.forName(SupervisorLifecycle.class.getName(), true, withoutWebServer)
				.getField("PHASE")
				.getInt(null)).isEqualTo(graceful);
		}
	}

	@Test
	void springBootRegistersTheWebServersGracefulShutdownUnderTheNameWebServerDrainWraps() {
		try (ConfigurableApplicationContext context = webApplication("--supervisor.enabled=false")) {
			String changed = "Spring Boot no longer registers its WebServerGracefulShutdownLifecycle as a ready-made "
					+ "singleton named '" + WebServerDrain.BEAN_NAME + "', so the shutdown report cannot say when the "
					+ "web server's drain ended. Find the name it now uses (ServletWebServerApplicationContext"
					+ "#createWebServer) and update WebServerDrain.BEAN_NAME, or how WebServerDrain finds the lifecycle.";
			assertThat(context.getBeanFactory().containsSingleton(WebServerDrain.BEAN_NAME)).as(changed).isTrue();
			assertThat(context.getBeanFactory().containsBeanDefinition(WebServerDrain.BEAN_NAME)).as(changed).isFalse();
			Object lifecycle = context.getBeanFactory().getSingleton(WebServerDrain.BEAN_NAME);
			assertThat(lifecycle).as(changed).isInstanceOf(WebServerGracefulShutdownLifecycle.class);
			assertThat(((SmartLifecycle) lifecycle).getPhase()).as("The web server's graceful shutdown runs in phase "
					+ "%d, not in SupervisorLifecycle.PHASE (%d): the workers and the requests would drain one after "
					+ "the other. Make SupervisorLifecycle.PHASE the phase of '%s' again.",
					((SmartLifecycle) lifecycle).getPhase(), SupervisorLifecycle.PHASE, WebServerDrain.BEAN_NAME)
				.isEqualTo(SupervisorLifecycle.PHASE);
		}
		try (ConfigurableApplicationContext context = webApplication()) {
			assertThat(context.getBean(WebServerDrain.class).present())
				.as("WebServerDrain did not wrap the web server's graceful shutdown lifecycle '%s' "
						+ "(see WebServerDrain#afterSingletonsInstantiated)", WebServerDrain.BEAN_NAME)
				.isTrue();
		}
	}

	@Test
	void lifecycleProcessorWaitsForTheGracefulPhaseUntilTheDeadlineNotItsOwnTimeout() {
		ConfigurableApplicationContext context = run(
				new SpringApplicationBuilder(WebApplication.class, StuckInGracefulPhase.class),
				"--supervisor.shutdown.timeout=1s", "--spring.lifecycle.timeout-per-shutdown-phase=30s");
		try {
			Object processor = context.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);
			assertThat(processor).as("The bean '%s' is no longer a DefaultLifecycleProcessor, so "
					+ "SupervisorLifecycle cannot set the timeout of the graceful shutdown phase to the deadline (it "
					+ "logs a warning): requests drain until spring.lifecycle.timeout-per-shutdown-phase, not "
					+ "supervisor.shutdown.timeout. Find how the new processor takes a per-phase timeout and update "
					+ "SupervisorLifecycle#alignGracefulPhase.",
					AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
				.isInstanceOf(DefaultLifecycleProcessor.class);
			StuckInGracefulPhase stuck = context.getBean(StuckInGracefulPhase.class);
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(stuck.stopRequested).as("the stuck lifecycle was asked to stop").isTrue();
			assertThat(took).as("Closing took %dms with a lifecycle in the graceful shutdown phase that never reports "
					+ "back, a deadline of 1s and a per-phase timeout of 30s: "
					+ "DefaultLifecycleProcessor#setTimeoutForShutdownPhase, which SupervisorLifecycle#alignGracefulPhase "
					+ "calls when the deadline is fixed, no longer sets how long Spring waits for the phase. Find how "
					+ "Spring now times a shutdown phase and update SupervisorLifecycle#alignGracefulPhase.",
					took.toMillis())
				.isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
		}
		finally {
			context.close();
		}
	}

	/**
	 * The Tomcat settings of {@code SupervisorWebMvcAutoConfiguration} make the hard stop
	 * at the deadline prompt: without them a request that ignores the deadline holds the
	 * JVM another 7 seconds (the executor's termination wait, then each servlet's unload
	 * delay). They reach Tomcat only through names and an order that are not API: a
	 * connector property by name, and the context's unload delay, which Tomcat copies to
	 * each servlet's wrapper when the wrapper is added. {@code ShutdownDeadlineTests}
	 * proves the effect; this test says which setting went missing.
	 */
	@Test
	void tomcatStopSettingsReachTheRunningServer() {
		try (ConfigurableApplicationContext context = webApplication()) {
			TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
			for (Connector connector : server.getTomcat().getService().findConnectors()) {
				assertThat(connector.getProperty("executorTerminationTimeoutMillis"))
					.as("Tomcat's connector does not take the property 'executorTerminationTimeoutMillis' any more "
							+ "(Connector#setProperty returns false for an unknown one): at the deadline Tomcat waits up "
							+ "to 5 more seconds for request threads. Find the new name of the endpoint's executor "
							+ "termination timeout and update SupervisorWebMvcAutoConfiguration.TomcatStopConfiguration.")
					.hasToString("0");
			}
			List<StandardWrapper> wrappers = new ArrayList<>();
			for (Container child : server.getTomcat().getHost().findChildren()) {
				StandardContext web = (StandardContext) child;
				assertThat(web.getUnloadDelay()).as("The unload delay of Tomcat's context").isEqualTo(20);
				for (Container servlet : web.findChildren()) {
					wrappers.add((StandardWrapper) servlet);
				}
			}
			assertThat(wrappers).as("servlets of the running Tomcat").isNotEmpty();
			for (StandardWrapper wrapper : wrappers) {
				Object unloadDelay = ReflectionTestUtils.getField(wrapper, "unloadDelay");
				assertThat(unloadDelay)
					.as("Servlet '%s' waits %sms at the deadline for requests that ignore it, not the 20ms set on its "
							+ "context: Tomcat no longer copies StandardContext#getUnloadDelay to each wrapper when it is "
							+ "added (StandardWrapper#setParent), or the context customizer now runs after the servlets "
							+ "are added. Set the delay on each wrapper in "
							+ "SupervisorWebMvcAutoConfiguration.TomcatStopConfiguration.", wrapper.getName(),
							unloadDelay)
					.isEqualTo(20L);
			}
		}
	}

	private static ConfigurableApplicationContext webApplication(String... args) {
		return run(new SpringApplicationBuilder(WebApplication.class), args);
	}

	private static ConfigurableApplicationContext run(SpringApplicationBuilder builder, String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		all.addAll(List.of(args));
		return builder.web(WebApplicationType.SERVLET).run(all.toArray(String[]::new));
	}

	/**
	 * Return a class loader of the test's class path without the jars whose names start
	 * with the given prefix.
	 */
	private static URLClassLoader classPathWithout(String jar) throws MalformedURLException {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry);
			if (!path.getFileName().toString().startsWith(jar)) {
				urls.add(path.toUri().toURL());
			}
		}
		assertThat(urls).as("the class path").hasSizeGreaterThan(2);
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebApplication {

	}

	/**
	 * A lifecycle in the graceful shutdown phase that never says it has stopped, so
	 * Spring waits for the phase until its timeout.
	 */
	static class StuckInGracefulPhase implements SmartLifecycle {

		private volatile boolean running;

		volatile boolean stopRequested;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public void stop(Runnable callback) {
			this.stopRequested = true;
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return SupervisorLifecycle.PHASE;
		}

	}

}
