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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A check of a replica from the outside, made one attempt at a time. Attempts never run
 * on the supervisor's own thread, and each ends with a {@link Result} that says what was
 * seen, so that a replica that never becomes ready can be explained.
 *
 * @author the supervisor authors
 */
interface ReadinessProbe {

	/** How much of a response body a result quotes. */
	int BODY_EXCERPT = 100;

	/**
	 * Return what is checked, for people: {@code GET http://127.0.0.1:4711/health} or
	 * {@code connect to 127.0.0.1:4711}.
	 * @return the description
	 */
	String target();

	/**
	 * Make one attempt.
	 * @return a future completing with what the attempt saw; it never completes
	 * exceptionally
	 */
	CompletableFuture<Result> check();

	/**
	 * A probe that succeeds when a TCP port accepts a connection.
	 * @param host the host
	 * @param port the port
	 * @param timeout the connect timeout
	 * @param executor runs the blocking connect
	 * @return the probe
	 */
	static ReadinessProbe tcp(String host, int port, Duration timeout, Executor executor) {
		return new Tcp(host, port, timeout, executor);
	}

	/**
	 * A probe that succeeds when a URL answers a GET with a 2xx status, in plain
	 * HTTP/1.1.
	 * @param client the HTTP client
	 * @param url the URL
	 * @param timeout the time one request may take
	 * @return the probe
	 */
	static ReadinessProbe http(HttpClient client, URI url, Duration timeout) {
		return new Http(client, url, timeout);
	}

	/**
	 * What one attempt saw.
	 *
	 * @param ready whether the replica answered as a ready one does
	 * @param kind the kind of answer, such as {@code HTTP 503} or
	 * {@code connection refused}: a change of kind is worth telling
	 * @param description the answer for people, with a short excerpt of a response body
	 * where there is one
	 */
	record Result(boolean ready, String kind, String description) {

		static Result of(boolean ready, String kind) {
			return new Result(ready, kind, kind);
		}

		static Result failed(Throwable failure, Duration timeout) {
			Throwable cause = failure;
			while (cause instanceof CompletionException && cause.getCause() != null) {
				cause = cause.getCause();
			}
			if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
				return of(false, "timed out after " + timeout.toMillis() + "ms");
			}
			if (cause instanceof ConnectException
					&& (cause.getMessage() == null || cause.getMessage().contains("refused"))) {
				return of(false, "connection refused");
			}
			if (cause instanceof NoRouteToHostException) {
				return of(false, "no route to host");
			}
			if (cause instanceof UnknownHostException) {
				return of(false, "unknown host " + cause.getMessage());
			}
			String name = cause.getClass().getSimpleName();
			return (cause.getMessage() != null) ? new Result(false, name, name + ": " + cause.getMessage())
					: of(false, name);
		}

	}

	/**
	 * Connects to a TCP port.
	 */
	final class Tcp implements ReadinessProbe {

		private final String host;

		private final int port;

		private final Duration timeout;

		private final Executor executor;

		Tcp(String host, int port, Duration timeout, Executor executor) {
			this.host = host;
			this.port = port;
			this.timeout = timeout;
			this.executor = executor;
		}

		@Override
		public String target() {
			return "connect to " + this.host + ":" + this.port;
		}

		@Override
		public CompletableFuture<Result> check() {
			int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, this.timeout.toMillis()));
			return CompletableFuture.supplyAsync(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(this.host, this.port), timeoutMillis);
					return Result.of(true, "connected");
				}
				catch (IOException ex) {
					return Result.failed(ex, this.timeout);
				}
			}, this.executor);
		}

	}

	/**
	 * Sends a GET and waits for a 2xx status.
	 */
	final class Http implements ReadinessProbe {

		/** How many bytes of a body are read to quote from it. */
		private static final int BODY_BYTES = 1024;

		private final HttpClient client;

		private final HttpRequest request;

		private final Duration timeout;

		Http(HttpClient client, URI url, Duration timeout) {
			this.client = client;
			// Plain HTTP/1.1, as Kubernetes probes speak: the client's default asks to
			// upgrade to HTTP/2 on every request, which servers such as uvicorn refuse
			// with 400
			this.request = HttpRequest.newBuilder(url)
				.version(HttpClient.Version.HTTP_1_1)
				.timeout(timeout)
				.GET()
				.build();
			this.timeout = timeout;
		}

		@Override
		public String target() {
			return "GET " + this.request.uri();
		}

		@Override
		public CompletableFuture<Result> check() {
			CompletableFuture<HttpResponse<String>> sent = this.client.sendAsync(this.request, Http::body);
			CompletableFuture<Result> result = sent
				.handle((response, ex) -> (ex != null) ? Result.failed(ex, this.timeout) : answer(response))
				// The request's timeout ends the wait for the headers, not for a body
				// that never ends
				.completeOnTimeout(Result.of(false, "timed out after " + this.timeout.toMillis() + "ms"),
						this.timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
			result.whenComplete((answer, ex) -> sent.cancel(true));
			return result;
		}

		private static Result answer(HttpResponse<String> response) {
			int status = response.statusCode();
			String kind = "HTTP " + status;
			if (ok(status)) {
				return Result.of(true, kind);
			}
			if (status >= 300 && status < 400) {
				String location = response.headers().firstValue("Location").orElse("nowhere");
				return new Result(false, kind, kind + " to " + excerpt(location) + " (redirects are not followed)");
			}
			String body = excerpt(response.body());
			return new Result(false, kind, body.isEmpty() ? kind : kind + " \"" + body + "\"");
		}

		private static boolean ok(int status) {
			return status >= 200 && status < 300;
		}

		private static HttpResponse.BodySubscriber<String> body(HttpResponse.ResponseInfo info) {
			return ok(info.statusCode()) ? HttpResponse.BodySubscribers.replacing("") : new BodyStart(BODY_BYTES);
		}

		/**
		 * Return a text on one line, cut to {@link #BODY_EXCERPT} characters.
		 */
		static String excerpt(String text) {
			String line = text.replaceAll("\\s+", " ").strip();
			return (line.length() > BODY_EXCERPT) ? line.substring(0, BODY_EXCERPT) + "..." : line;
		}

	}

	/**
	 * Reads the start of a response body and lets the rest go: an error page can be
	 * large, and only its first words are quoted.
	 */
	final class BodyStart implements HttpResponse.BodySubscriber<String> {

		private final int limit;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CompletableFuture<String> body = new CompletableFuture<>();

		private Flow.@Nullable Subscription subscription;

		BodyStart(int limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<String> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				byte[] chunk = new byte[Math.min(buffer.remaining(), this.limit - this.bytes.size())];
				buffer.get(chunk);
				this.bytes.write(chunk, 0, chunk.length);
			}
			Flow.Subscription current = this.subscription;
			if (this.bytes.size() >= this.limit) {
				if (current != null) {
					current.cancel();
				}
				onComplete();
			}
			else if (current != null) {
				current.request(1);
			}
		}

		@Override
		public void onError(Throwable failure) {
			// What arrived before the failure is still worth quoting
			onComplete();
		}

		@Override
		public void onComplete() {
			this.body.complete(this.bytes.toString(StandardCharsets.UTF_8));
		}

	}

}
