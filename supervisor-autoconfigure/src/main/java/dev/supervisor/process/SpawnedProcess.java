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

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A child started by {@link Posix#spawn}, behaving as a {@link Process} started by the
 * JDK does. Its end is noticed the way the JDK notices its own children's: a thread of
 * its own waits in the kernel ({@code waitpid}), collecting the status so that it leaves
 * no zombie. That thread is started before the child is spawned ({@link Waiter}), so that
 * a thread which cannot be created fails the spawn instead of leaving a child that nobody
 * watches.
 *
 * @author the supervisor authors
 */
final class SpawnedProcess extends Process {

	private final long pid;

	private final ProcessHandle handle;

	private final InputStream output;

	private final InputStream errors;

	private final CompletableFuture<Process> exit = new CompletableFuture<>();

	private volatile int exitCode;

	SpawnedProcess(long pid, InputStream output, InputStream errors, Waiter waiter) {
		this.pid = pid;
		// Not reaped yet, so it is there even if it already ended
		this.handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("No process " + pid));
		this.output = output;
		this.errors = errors;
		waiter.watch(this);
	}

	@Override
	public OutputStream getOutputStream() {
		// Standard input is /dev/null
		return OutputStream.nullOutputStream();
	}

	@Override
	public InputStream getInputStream() {
		return this.output;
	}

	@Override
	public InputStream getErrorStream() {
		return this.errors;
	}

	@Override
	public int waitFor() throws InterruptedException {
		try {
			this.exit.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		return this.exitCode;
	}

	@Override
	public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
		try {
			this.exit.get(timeout, unit);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public int exitValue() {
		if (!this.exit.isDone()) {
			throw new IllegalThreadStateException("process " + this.pid + " has not exited");
		}
		return this.exitCode;
	}

	@Override
	public CompletableFuture<Process> onExit() {
		return this.exit.copy();
	}

	@Override
	public boolean isAlive() {
		return !this.exit.isDone();
	}

	@Override
	public void destroy() {
		this.handle.destroy();
	}

	@Override
	public Process destroyForcibly() {
		this.handle.destroyForcibly();
		return this;
	}

	@Override
	public boolean supportsNormalTermination() {
		return true;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public ProcessHandle toHandle() {
		return this.handle;
	}

	@Override
	public Stream<ProcessHandle> children() {
		return this.handle.children();
	}

	@Override
	public Stream<ProcessHandle> descendants() {
		return this.handle.descendants();
	}

	@Override
	public String toString() {
		return "Process[pid=" + this.pid + ", exitValue=" + (this.exit.isDone() ? this.exitCode : "\"not exited\"")
				+ "]";
	}

	/**
	 * The thread that waits for one child to end, started before the child.
	 */
	static final class Waiter implements Runnable {

		private static final long STACK_SIZE = 256 * 1024;

		private final Posix posix;

		private final CompletableFuture<SpawnedProcess> child = new CompletableFuture<>();

		/**
		 * Start the thread, which waits for {@link #watch} or {@link #cancel}.
		 * @param posix the calls
		 * @throws OutOfMemoryError if the thread cannot be created
		 */
		Waiter(Posix posix) {
			this.posix = posix;
			Thread thread = new Thread(null, this, "process reaper (posix_spawn)", STACK_SIZE);
			thread.setDaemon(true);
			thread.start();
		}

		void watch(SpawnedProcess process) {
			this.child.complete(process);
		}

		/**
		 * Let the thread end: no child was handed over.
		 */
		void cancel() {
			this.child.cancel(false);
		}

		@Override
		public void run() {
			SpawnedProcess process;
			try {
				process = this.child.get();
			}
			catch (CancellationException | ExecutionException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			Thread.currentThread().setName("process reaper (pid " + process.pid + ")");
			try {
				process.exitCode = this.posix.waitpid(process.pid);
			}
			finally {
				process.exit.complete(process);
			}
		}

	}

}
