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

package dev.supervisor.shutdown;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Tells application code that the application is shutting down, and by when it has to be
 * done. Declare it as a parameter of a controller method, or inject it into any bean, and
 * check it in loops that may run long:
 *
 * <pre class="code">
 * &#64;GetMapping("/report")
 * Report report(CancellationToken cancel) {
 *     for (Chunk chunk : chunks) {
 *         cancel.throwIfCancellationRequested(); // 503 + Retry-After during shutdown
 *         ...
 *     }
 * }
 * </pre>
 *
 * The token is read-only: only the application's shutdown cancels it, once, at the moment
 * the application context starts closing.
 *
 * @author the supervisor authors
 */
public interface CancellationToken {

	/**
	 * Return whether the application is shutting down.
	 * @return {@code true} once shutdown began
	 */
	boolean isCancellationRequested();

	/**
	 * Throw a {@link CancellationRequestedException} if the application is shutting down.
	 * In a web request it becomes an HTTP 503 response with a {@code Retry-After} header,
	 * unless the application maps the exception itself.
	 * @throws CancellationRequestedException if cancellation was requested
	 */
	void throwIfCancellationRequested();

	/**
	 * Return when the shutdown must be finished.
	 * @return the deadline, or empty if no shutdown is under way
	 */
	Optional<Instant> deadline();

	/**
	 * Return the time left until the shutdown deadline: {@link #NOT_CANCELLED} while no
	 * shutdown is under way, never negative.
	 * @return the time left
	 */
	Duration remaining();

	/**
	 * Run a callback when cancellation is requested, at once if it already was. The
	 * callback runs exactly once, on the thread that starts the shutdown, so it must be
	 * quick.
	 * @param callback the callback
	 * @return a registration that removes the callback
	 */
	Registration onCancellation(Runnable callback);

	/**
	 * Wait until cancellation is requested, for at most the given time: the pause between
	 * two attempts of a retry loop or two rounds of a job, cut short by the shutdown.
	 * @param timeout the longest wait
	 * @return {@code true} if cancellation was requested (at once if it already was),
	 * {@code false} if the time ran out first
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	boolean awaitCancellation(Duration timeout) throws InterruptedException;

	/**
	 * Return a stage that completes when cancellation is requested.
	 * @return the stage
	 */
	CompletionStage<Void> whenCancelled();

	/**
	 * What {@link #remaining()} returns while no shutdown is under way.
	 */
	Duration NOT_CANCELLED = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

	/**
	 * A registered callback.
	 */
	@FunctionalInterface
	interface Registration extends AutoCloseable {

		/**
		 * Remove the callback, so it does not run if it has not run yet.
		 */
		void unregister();

		@Override
		default void close() {
			unregister();
		}

	}

}
