package org.certflow.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refusals written by our filters in front of the engine REST API and the webapps' API.
 * The body is an RFC 9457 problem that also carries the engine's own {@code type} and
 * {@code message} fields, so that Camunda's clients (Tasklist shows {@code message}) and
 * ours read it alike.
 */
public final class EngineRestErrors {

	private static final ObjectMapper JSON = new ObjectMapper();

	private EngineRestErrors() {
	}

	/**
	 * Writes a refusal.
	 * @param response the response, not yet committed
	 * @param status the HTTP status
	 * @param message what was wrong and what to do, for a person
	 * @throws IOException when the client has gone
	 */
	public static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "InvalidRequestException");
		problem.put("title", switch (status) {
			case HttpServletResponse.SC_FORBIDDEN -> "Forbidden";
			case HttpServletResponse.SC_NOT_FOUND -> "Not Found";
			default -> "Bad Request";
		});
		problem.put("status", status);
		problem.put("detail", message);
		problem.put("message", message);
		response.resetBuffer();
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(JSON.writeValueAsString(problem));
	}

}
