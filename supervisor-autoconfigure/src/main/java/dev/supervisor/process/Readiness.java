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
import java.util.regex.Pattern;

/**
 * How the supervisor learns that a replica is ready. Readiness is recorded at the moment
 * the check succeeds; a replica that ends before that is a startup failure, one that ends
 * after it is a runtime death.
 *
 * @author the supervisor authors
 */
public sealed interface Readiness {

	/**
	 * Ready once the replica has stayed alive for a minimum uptime.
	 *
	 * @param minimum the uptime after which the replica counts as ready
	 */
	record Uptime(Duration minimum) implements Readiness {
	}

	/**
	 * Ready when a line of the replica's output matches a pattern.
	 *
	 * @param pattern the pattern searched for in every line
	 */
	record LogLine(Pattern pattern) implements Readiness {
	}

	/**
	 * Ready when a TCP port accepts a connection.
	 *
	 * @param host the host to connect to
	 * @param port the port, or 0 for the replica's own port
	 * @param interval the time between attempts
	 * @param timeout the time one attempt may take
	 */
	record Tcp(String host, int port, Duration interval, Duration timeout) implements Readiness {
	}

	/**
	 * Ready when a URL answers with a 2xx status.
	 *
	 * @param url the URL, which may contain replica placeholders
	 * @param interval the time between attempts
	 * @param timeout the time one attempt may take
	 */
	record Http(String url, Duration interval, Duration timeout) implements Readiness {
	}

	/**
	 * Ready when the replica says {@code READY} on the control channel (see
	 * {@code dev.supervisor.worker.Protocol}).
	 */
	record Notify() implements Readiness {
	}

}
