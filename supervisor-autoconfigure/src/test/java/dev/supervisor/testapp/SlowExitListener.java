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

package dev.supervisor.testapp;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.supervisor.process.SupervisorEvent;
import dev.supervisor.process.SupervisorListener;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A listener that takes {@code testapp.slow-exit-listener} to handle each replica's exit,
 * as one doing slow I/O would: the supervisor hears of it on its own thread, so a stop
 * completes that much later.
 *
 * @author the supervisor authors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("testapp.slow-exit-listener")
public class SlowExitListener {

	@Bean
	SupervisorListener slowExitListener(@Value("${testapp.slow-exit-listener}") Duration delay) {
		return (event) -> {
			if (event instanceof SupervisorEvent.ReplicaExited) {
				System.out.println("slow listener handling an exit");
				LockSupport.parkNanos(delay.toNanos());
			}
		};
	}

}
