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

package dev.supervisor.actuate.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.invoke.ParameterMappingException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Says what is wrong with the body of a write request to the {@code supervisor} endpoint
 * that Spring MVC could not turn into the operation's parameters, and which body is
 * expected. Spring Boot's actuator reads the body before the operation is called: a body
 * that is not JSON, JSON that is not an object, a value that is not a number or a missing
 * {@code Content-Type} would otherwise get a bare 400 or 415 without a message.
 * <p>
 * The answer has the shape of the endpoint's own errors: {@code {"message": "..."}}. It
 * applies only below the endpoint's path; every other request is left alone.
 *
 * @author the supervisor authors
 */
public class SupervisorEndpointBadRequestResolver implements HandlerExceptionResolver, Ordered {

	static final String EXPECTED = "Send a JSON object with Content-Type: application/json, for example"
			+ " {\"replicas\": 3} to scale, {\"replica\": 1} to restart one replica or {} to restart them all.";

	private static final int LONGEST_DETAIL = 200;

	private final Supplier<@Nullable String> endpointPath;

	/**
	 * Create a resolver.
	 * @param endpointPath supplies the path of the {@code supervisor} endpoint, such as
	 * {@code /actuator/supervisor}, or {@code null} while it is not known
	 */
	public SupervisorEndpointBadRequestResolver(Supplier<@Nullable String> endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (!"POST".equals(request.getMethod()) || response.isCommitted() || !isEndpointRequest(request)) {
			return null;
		}
		HttpStatus status = HttpStatus.BAD_REQUEST;
		String message;
		if (ex instanceof HttpMessageNotReadableException unreadable) {
			message = "The request body is not a JSON object of the operation's parameters ("
					+ detail(unreadable.getMostSpecificCause()) + "). " + EXPECTED;
		}
		else if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
			status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			message = "The request body's type " + unsupported.getContentType() + " is not supported. " + EXPECTED;
		}
		else if (ex instanceof ResponseStatusException statusException
				&& statusException.getCause() instanceof InvalidEndpointRequestException invalid) {
			message = describe(invalid) + " " + EXPECTED;
		}
		else {
			return null;
		}
		write(response, status, message);
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		// Before Spring MVC's DefaultHandlerExceptionResolver answers without a message
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	private boolean isEndpointRequest(HttpServletRequest request) {
		String path = this.endpointPath.get();
		if (path == null) {
			return false;
		}
		String uri = request.getRequestURI().substring(request.getContextPath().length());
		return uri.startsWith(path + "/");
	}

	private static String describe(InvalidEndpointRequestException invalid) {
		if (invalid instanceof ParameterMappingException mapping) {
			return "The value '" + mapping.getValue() + "' of '" + mapping.getParameter().getName()
					+ "' is not a whole number.";
		}
		return String.valueOf(invalid.getMessage());
	}

	private static String detail(Throwable cause) {
		String message = String.valueOf(cause.getMessage());
		int newline = message.indexOf('\n');
		String firstLine = ((newline >= 0) ? message.substring(0, newline) : message).strip();
		return (firstLine.length() > LONGEST_DETAIL) ? firstLine.substring(0, LONGEST_DETAIL) + "..." : firstLine;
	}

	private static void write(HttpServletResponse response, HttpStatus status, String message) {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		try {
			response.getWriter().write("{\"message\":" + quote(message) + "}");
		}
		catch (IOException ex) {
			// The client went away: nothing more to tell it
		}
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
