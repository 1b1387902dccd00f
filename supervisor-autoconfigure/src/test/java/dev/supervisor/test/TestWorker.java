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

package dev.supervisor.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;

/**
 * A worker for tests, run with {@code java.main-class}. Its first argument says what it
 * does:
 * <ul>
 * <li>{@code tcp DELAY_MS}: listens on {@code SUPERVISOR_PORT} after a delay;</li>
 * <li>{@code http FAILURES}: serves {@code /health} on {@code SUPERVISOR_PORT}, answering
 * 503 to the first requests;</li>
 * <li>{@code identity ARGS...}: prints who it is and its arguments;</li>
 * <li>{@code drain MS}: prints {@code ready} and, when asked to stop, takes that long to
 * finish.</li>
 * </ul>
 * It then runs until it is stopped.
 *
 * @author the supervisor authors
 */
public final class TestWorker {

	private TestWorker() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(System.getenv().getOrDefault("SUPERVISOR_PORT", "0"));
		switch (args[0]) {
			case "tcp" -> {
				work(Duration.ofMillis(Long.parseLong(args[1])));
				ServerSocket server = new ServerSocket();
				server.bind(new InetSocketAddress("127.0.0.1", port));
				System.out.println("bound at " + Instant.now().toEpochMilli());
				Thread acceptor = new Thread(() -> accept(server));
				acceptor.setDaemon(true);
				acceptor.start();
			}
			case "http" -> {
				AtomicInteger failures = new AtomicInteger(Integer.parseInt(args[1]));
				HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
				server.createContext("/health", (exchange) -> {
					int status = (failures.getAndDecrement() > 0) ? 503 : 200;
					System.out.println("health " + status + " at " + Instant.now().toEpochMilli());
					exchange.sendResponseHeaders(status, -1);
					exchange.close();
				});
				server.start();
			}
			case "identity" -> {
				System.out.println("worker=" + System.getenv("SUPERVISOR_WORKER") + " replica="
						+ System.getenv("SUPERVISOR_REPLICA") + " port=" + System.getenv("SUPERVISOR_PORT") + " args="
						+ String.join(",", Arrays.copyOfRange(args, 1, args.length)) + " custom="
						+ System.getenv("CUSTOM"));
			}
			case "drain" -> {
				Duration drain = Duration.ofMillis(Long.parseLong(args[1]));
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					System.out.println("draining for " + drain.toMillis() + "ms");
					work(drain);
					System.out.println("drained");
				}));
				System.out.println("ready");
			}
			default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
		}
		System.out.flush();
		new CountDownLatch(1).await();
	}

	/**
	 * Stand in for work that takes the given time.
	 */
	private static void work(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

	private static void accept(ServerSocket server) {
		while (true) {
			try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
				out.flush();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

}
