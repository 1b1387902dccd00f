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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The side of cancellation that cancels: it hands out a read-only
 * {@link CancellationToken} and is cancelled once, with the shutdown's {@link Deadline}.
 *
 * @author the supervisor authors
 */
public final class CancellationSource {

	private static final Log logger = LogFactory.getLog(CancellationSource.class);

	private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

	private final Set<Callback> callbacks = new LinkedHashSet<>();

	private final Token token = new Token();

	private volatile @Nullable Deadline deadline;

	/**
	 * Return the token that observes this source.
	 * @return the token
	 */
	public CancellationToken token() {
		return this.token;
	}

	/**
	 * Cancel with the given deadline. Only the first call has any effect.
	 * @param deadline when the shutdown must be finished
	 * @return {@code true} if this call cancelled
	 */
	public boolean cancel(Deadline deadline) {
		List<Callback> toRun;
		synchronized (this.callbacks) {
			if (this.deadline != null) {
				return false;
			}
			this.deadline = deadline;
			toRun = new ArrayList<>(this.callbacks);
			this.callbacks.clear();
		}
		toRun.forEach(Callback::run);
		this.cancelled.complete(null);
		return true;
	}

	/**
	 * Return the deadline, if cancelled.
	 * @return the deadline or {@code null}
	 */
	public @Nullable Deadline deadline() {
		return this.deadline;
	}

	private final class Token implements CancellationToken {

		@Override
		public boolean isCancellationRequested() {
			return CancellationSource.this.deadline != null;
		}

		@Override
		public void throwIfCancellationRequested() {
			Deadline current = CancellationSource.this.deadline;
			if (current != null) {
				throw new CancellationRequestedException(current.instant(), current.remaining());
			}
		}

		@Override
		public Optional<Instant> deadline() {
			Deadline current = CancellationSource.this.deadline;
			return (current != null) ? Optional.of(current.instant()) : Optional.empty();
		}

		@Override
		public Duration remaining() {
			Deadline current = CancellationSource.this.deadline;
			return (current != null) ? current.remaining() : NOT_CANCELLED;
		}

		@Override
		public Registration onCancellation(Runnable callback) {
			Callback registered = new Callback(callback);
			synchronized (CancellationSource.this.callbacks) {
				if (CancellationSource.this.deadline == null) {
					CancellationSource.this.callbacks.add(registered);
					return () -> {
						synchronized (CancellationSource.this.callbacks) {
							CancellationSource.this.callbacks.remove(registered);
						}
					};
				}
			}
			registered.run();
			return () -> {
			};
		}

		@Override
		public boolean awaitCancellation(Duration timeout) throws InterruptedException {
			if (isCancellationRequested()) {
				return true;
			}
			try {
				CancellationSource.this.cancelled.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
				return true;
			}
			catch (TimeoutException ex) {
				return false;
			}
			catch (ExecutionException ex) {
				return true;
			}
		}

		@Override
		public CompletionStage<Void> whenCancelled() {
			return CancellationSource.this.cancelled.minimalCompletionStage();
		}

		@Override
		public String toString() {
			Deadline current = CancellationSource.this.deadline;
			return (current != null) ? "CancellationToken[cancelled, " + current + "]" : "CancellationToken[active]";
		}

	}

	/**
	 * A callback, compared by identity so the same runnable can be registered twice.
	 */
	private static final class Callback {

		private final Runnable action;

		Callback(Runnable action) {
			this.action = action;
		}

		void run() {
			try {
				this.action.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Cancellation callback failed", ex);
			}
		}

	}

}
