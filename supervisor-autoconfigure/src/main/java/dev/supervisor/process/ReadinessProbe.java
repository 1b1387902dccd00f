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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One attempt at checking a replica from the outside. Attempts never run on the
 * supervisor's own thread.
 *
 * @author the supervisor authors
 */
@FunctionalInterface
interface ReadinessProbe {

	/**
	 * Make one attempt.
	 * @return a future completing with {@code true} if the replica answered
	 */
	CompletableFuture<Boolean> check();

	/**
	 * A probe that succeeds when a TCP port accepts a connection.
	 * @param host the host
	 * @param port the port
	 * @param timeout the connect timeout
	 * @param executor runs the blocking connect
	 * @return the probe
	 */
	static ReadinessProbe tcp(String host, int port, Duration timeout, Executor executor) {
		int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		return () -> CompletableFuture.supplyAsync(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(host, port), timeoutMillis);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}, executor);
	}

	/**
	 * A probe that succeeds when a URL answers a GET with a 2xx status.
	 * @param client the HTTP client
	 * @param url the URL
	 * @param timeout the time one request may take
	 * @return the probe
	 */
	static ReadinessProbe http(HttpClient client, URI url, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
		return () -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			.handle((response, ex) -> ex == null && response.statusCode() >= 200 && response.statusCode() < 300);
	}

}
