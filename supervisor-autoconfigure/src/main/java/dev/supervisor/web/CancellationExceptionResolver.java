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

package dev.supervisor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.supervisor.shutdown.CancellationRequestedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a request whose handler gave up because the application is shutting down
 * ({@link CancellationRequestedException}, also when it ended an asynchronous request)
 * with HTTP 503, a {@code Retry-After} header and an RFC 9457 problem detail. It comes
 * after Spring MVC's own resolvers, so an {@code @ExceptionHandler} of the application
 * wins.
 * <p>
 * {@code Retry-After} is the time left until the shutdown deadline (at least one second):
 * by then this instance has stopped and a replacement, or another replica behind the load
 * balancer, takes the request.
 *
 * @author the supervisor authors
 */
public class CancellationExceptionResolver implements HandlerExceptionResolver, Ordered {

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		CancellationRequestedException cancellation = find(ex);
		if (cancellation == null || response.isCommitted()) {
			return null;
		}
		long retryAfter = Math.max(1, ceilSeconds(cancellation.getRemaining()));
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		String body = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
				+ "\"detail\":\"The application is shutting down. Retry in " + retryAfter + " seconds.\","
				+ "\"instance\":" + quote(request.getRequestURI()) + "}";
		try {
			response.getWriter().write(body);
		}
		catch (IOException ioe) {
			// The client went away: nothing more to tell it
		}
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private static @Nullable CancellationRequestedException find(@Nullable Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof CancellationRequestedException cancellation) {
				return cancellation;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	private static long ceilSeconds(Duration duration) {
		return duration.getSeconds() + ((duration.getNano() > 0) ? 1 : 0);
	}

	private static String quote(String text) {
		StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
