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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Supervisor} that are not about one worker group.
 *
 * @param defaultStopTimeout how long a replica may take to stop when its worker sets no
 * stop timeout and no shutdown deadline applies (restarts, scale-down)
 * @param reapTimeout how long to wait for a killed tree to be gone
 * @param orphanGuard whether replicas are taken down by a guard process if the JVM dies
 * @param orphanGrace how long the guard waits between SIGTERM and SIGKILL
 * @param environment variables given to every replica
 * @param outputSink where logged output lines go
 * @param listener receives events
 * @param identity the application's identity, marked on every replica so that leftovers
 * of an earlier run are found and stopped at start, or {@code null} for neither
 * @param nativeAccess whether to start replicas with {@code posix_spawn} and signal them
 * with {@code kill(2)}, called directly, when the JVM grants native access (JDK 22 or
 * later)
 * @author the supervisor authors
 */
public record SupervisorOptions(Duration defaultStopTimeout, Duration reapTimeout, boolean orphanGuard,
		Duration orphanGrace, Map<String, String> environment, OutputSink outputSink, SupervisorListener listener,
		@Nullable String identity, boolean nativeAccess) {

	/**
	 * Validate and copy.
	 * @param defaultStopTimeout the stop timeout
	 * @param reapTimeout the reap bound
	 * @param orphanGuard whether to run a guard
	 * @param orphanGrace the guard's grace period
	 * @param environment the environment
	 * @param outputSink the output sink
	 * @param listener the listener
	 * @param identity the identity
	 * @param nativeAccess whether to call {@code posix_spawn} and {@code kill} directly
	 * when the JVM grants native access
	 */
	public SupervisorOptions {
		Objects.requireNonNull(defaultStopTimeout, "'defaultStopTimeout' must not be null");
		Objects.requireNonNull(reapTimeout, "'reapTimeout' must not be null");
		environment = Map.copyOf(environment);
	}

	/**
	 * Return the defaults: 30 seconds to stop, 2 seconds to reap, a guard with a grace of
	 * 2 seconds, output logged, no listener.
	 * @return the defaults
	 */
	public static SupervisorOptions defaults() {
		return new SupervisorOptions(Duration.ofSeconds(30), Duration.ofSeconds(2), true, Duration.ofSeconds(2),
				Map.of(), new LoggingOutputSink(), (event) -> {
				}, null, true);
	}

	public SupervisorOptions withDefaultStopTimeout(Duration timeout) {
		return new SupervisorOptions(timeout, this.reapTimeout, this.orphanGuard, this.orphanGrace, this.environment,
				this.outputSink, this.listener, this.identity, this.nativeAccess);
	}

	public SupervisorOptions withOrphanGuard(boolean enabled, Duration grace) {
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, enabled, grace, this.environment,
				this.outputSink, this.listener, this.identity, this.nativeAccess);
	}

	public SupervisorOptions withIdentity(@Nullable String identity) {
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, this.orphanGuard, this.orphanGrace,
				this.environment, this.outputSink, this.listener, identity, this.nativeAccess);
	}

	public SupervisorOptions withEnvironment(Map<String, String> environment) {
		Map<String, String> merged = new LinkedHashMap<>(this.environment);
		merged.putAll(environment);
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, this.orphanGuard, this.orphanGrace,
				merged, this.outputSink, this.listener, this.identity, this.nativeAccess);
	}

	public SupervisorOptions withOutputSink(OutputSink outputSink) {
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, this.orphanGuard, this.orphanGrace,
				this.environment, outputSink, this.listener, this.identity, this.nativeAccess);
	}

	public SupervisorOptions withListener(SupervisorListener listener) {
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, this.orphanGuard, this.orphanGrace,
				this.environment, this.outputSink, listener, this.identity, this.nativeAccess);
	}

	public SupervisorOptions withNativeAccess(boolean enabled) {
		return new SupervisorOptions(this.defaultStopTimeout, this.reapTimeout, this.orphanGuard, this.orphanGrace,
				this.environment, this.outputSink, this.listener, this.identity, enabled);
	}

}
