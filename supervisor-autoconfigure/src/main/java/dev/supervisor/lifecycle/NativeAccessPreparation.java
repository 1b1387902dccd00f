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

import dev.supervisor.process.Supervisor;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Starts finding out, as soon as the environment is known, whether workers can be started
 * by {@code posix_spawn} called directly ({@link Supervisor#prepareNativeAccess()}), so
 * that the supervisor does not wait for it when the context creates it. On JDK 22+ with
 * native access granted that takes a few hundred milliseconds; elsewhere nothing.
 *
 * @author the supervisor authors
 */
public class NativeAccessPreparation implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Environment environment = event.getEnvironment();
		if (environment.getProperty("supervisor.enabled", Boolean.class, true)
				&& environment.getProperty("supervisor.native-access.enabled", Boolean.class, true)) {
			Supervisor.prepareNativeAccess();
		}
	}

}
