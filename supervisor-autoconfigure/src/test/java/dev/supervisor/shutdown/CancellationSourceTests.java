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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.supervisor.shutdown.CancellationToken.Registration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CancellationSource} and its token.
 *
 * @author the supervisor authors
 */
class CancellationSourceTests {

	private final CancellationSource source = new CancellationSource();

	private final CancellationToken token = this.source.token();

	@Test
	void activeTokenReportsNoShutdown() {
		assertThat(this.token.isCancellationRequested()).isFalse();
		assertThat(this.token.deadline()).isEmpty();
		assertThat(this.token.remaining()).isEqualTo(CancellationToken.NOT_CANCELLED);
		assertThat(this.token.whenCancelled().toCompletableFuture()).isNotDone();
		this.token.throwIfCancellationRequested();
	}

	@Test
	void cancelledTokenReportsTheDeadline() {
		Deadline deadline = Deadline.after(Duration.ofSeconds(30));
		assertThat(this.source.cancel(deadline)).isTrue();
		assertThat(this.token.isCancellationRequested()).isTrue();
		assertThat(this.token.deadline()).contains(deadline.instant());
		assertThat(this.token.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
		assertThat(this.token.whenCancelled().toCompletableFuture()).isCompleted();
		assertThatExceptionOfType(CancellationRequestedException.class)
			.isThrownBy(this.token::throwIfCancellationRequested)
			.satisfies((ex) -> assertThat(ex.getDeadline()).isEqualTo(deadline.instant()));
	}

	@Test
	void awaitCancellationWaitsForTheTimeOrTheShutdownWhicheverComesFirst() throws Exception {
		assertThat(this.token.awaitCancellation(Duration.ofMillis(10))).isFalse();
		CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.token.awaitCancellation(Duration.ofMinutes(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(waiting).isNotDone();
		this.source.cancel(Deadline.after(Duration.ofSeconds(30)));
		assertThat(waiting).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
		assertThat(this.token.awaitCancellation(Duration.ZERO)).isTrue();
	}

	@Test
	void onlyTheFirstCancelCounts() {
		Deadline first = Deadline.after(Duration.ofSeconds(10));
		assertThat(this.source.cancel(first)).isTrue();
		assertThat(this.source.cancel(Deadline.after(Duration.ofSeconds(1)))).isFalse();
		assertThat(this.token.deadline()).contains(first.instant());
	}

	@Test
	void tokenCannotBeUsedToCancel() {
		assertThat(this.token).isNotInstanceOf(CancellationSource.class);
		assertThat(CancellationToken.class.getMethods()).extracting("name").doesNotContain("cancel");
	}

	@Test
	void callbacksRunExactlyOnceAndUnregisteredOnesDoNotRun() {
		AtomicInteger kept = new AtomicInteger();
		AtomicInteger removed = new AtomicInteger();
		this.token.onCancellation(kept::incrementAndGet);
		Registration registration = this.token.onCancellation(removed::incrementAndGet);
		registration.unregister();
		this.source.cancel(Deadline.after(Duration.ofSeconds(1)));
		this.source.cancel(Deadline.after(Duration.ofSeconds(1)));
		registration.unregister();
		assertThat(kept).hasValue(1);
		assertThat(removed).hasValue(0);
	}

	@Test
	void callbackRegisteredAfterCancellationRunsAtOnce() {
		this.source.cancel(Deadline.after(Duration.ofSeconds(1)));
		AtomicInteger runs = new AtomicInteger();
		this.token.onCancellation(runs::incrementAndGet);
		assertThat(runs).hasValue(1);
	}

	@Test
	void failingCallbackDoesNotStopTheOthers() {
		AtomicInteger runs = new AtomicInteger();
		this.token.onCancellation(() -> {
			throw new IllegalStateException("boom");
		});
		this.token.onCancellation(runs::incrementAndGet);
		this.source.cancel(Deadline.after(Duration.ofSeconds(1)));
		assertThat(runs).hasValue(1);
	}

	@Test
	void callbacksRacingTheCancellationEachRunExactlyOnce() throws Exception {
		int threads = 8;
		int perThread = 500;
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<Void>> registering = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			registering.add(CompletableFuture.runAsync(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < perThread; i++) {
					this.token.onCancellation(runs::incrementAndGet);
				}
			}));
		}
		go.countDown();
		this.source.cancel(Deadline.after(Duration.ofSeconds(1)));
		CompletableFuture.allOf(registering.toArray(CompletableFuture[]::new)).get();
		assertThat(runs).hasValue(threads * perThread);
	}

}
