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

package dev.supervisor.sample.workers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A worker that answers every line it receives on its port with the line, its name and
 * its replica index. It learns them from the environment the supervisor gives it.
 *
 * @author the supervisor authors
 */
public final class EchoServer {

	private EchoServer() {
	}

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(System.getenv("SUPERVISOR_PORT"));
		String name = System.getenv("SUPERVISOR_WORKER") + "-" + System.getenv("SUPERVISOR_REPLICA");
		try (ServerSocket server = new ServerSocket()) {
			server.bind(new InetSocketAddress("127.0.0.1", port));
			System.out.println(name + " listening on port " + port);
			while (true) {
				Socket socket = server.accept();
				Thread thread = new Thread(() -> answer(socket, name), "echo-connection");
				thread.setDaemon(true);
				thread.start();
			}
		}
	}

	private static void answer(Socket socket, String name) {
		try (socket;
				BufferedReader in = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
			String line;
			while ((line = in.readLine()) != null) {
				out.println(line + " (from " + name + ")");
			}
		}
		catch (IOException ex) {
			// The client went away
		}
	}

}
