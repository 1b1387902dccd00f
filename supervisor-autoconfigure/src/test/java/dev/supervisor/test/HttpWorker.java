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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A plain HTTP/1.1 server for readiness tests that, like uvicorn, refuses any request
 * asking to upgrade the protocol: {@code 400 Unsupported upgrade request.} to a request
 * with an {@code Upgrade} header, and otherwise the status and body it was given
 * ({@code 200 ok} by default). It listens on {@code SUPERVISOR_PORT} and prints one line
 * per request: {@code GET /health upgrade=false -> 200}.
 * <p>
 * Arguments: {@code [status [body]]}.
 *
 * @author the supervisor authors
 */
public final class HttpWorker {

	private HttpWorker() {
	}

	public static void main(String[] args) throws IOException {
		int status = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		String body = (args.length > 1) ? args[1] : "ok";
		int port = Integer.parseInt(System.getenv("SUPERVISOR_PORT"));
		try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
			System.out.println("listening on " + port);
			while (true) {
				try (Socket socket = server.accept()) {
					answer(socket, status, body);
				}
				catch (IOException ex) {
					System.out.println("connection failed: " + ex);
				}
			}
		}
	}

	private static void answer(Socket socket, int status, String body) throws IOException {
		BufferedReader in = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
		String requestLine = in.readLine();
		if (requestLine == null) {
			return;
		}
		boolean upgrade = false;
		for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
			upgrade |= header.toLowerCase(Locale.ROOT).startsWith("upgrade:");
		}
		int answered = upgrade ? 400 : status;
		String text = upgrade ? "Unsupported upgrade request." : body;
		String[] parts = requestLine.split(" ");
		System.out.println(parts[0] + " " + parts[1] + " upgrade=" + upgrade + " -> " + answered);
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		OutputStream out = socket.getOutputStream();
		out.write(("HTTP/1.1 " + answered + " Status\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
				+ bytes.length + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		out.write(bytes);
		out.flush();
	}

}
