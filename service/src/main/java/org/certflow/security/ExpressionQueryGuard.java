package org.certflow.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.certflow.support.CachedBodyRequest;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses task and filter queries that carry an expression ({@code ${...}} or
 * {@code #{...}}). Camunda 7 evaluates expressions in some query fields, including inside
 * {@code orQueries}; the engine setting enableExpressionsInAdhocQueries=false is the
 * first wall, this is the second, for engine REST and the webapps' API alike.
 */
class ExpressionQueryGuard extends OncePerRequestFilter {

	private static final int MAX_BODY = 1024 * 1024;

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !(path.contains("/task") || path.contains("/filter"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query != null && hasExpression(URLDecoder.decode(query, StandardCharsets.UTF_8))) {
			refuse(response);
			return;
		}
		HttpServletRequest forward = request;
		if (request.getContentLengthLong() != 0 && !"GET".equals(request.getMethod())) {
			byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
			if (body.length > MAX_BODY) {
				response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Query body too large");
				return;
			}
			if (hasExpression(new String(body, StandardCharsets.UTF_8))) {
				refuse(response);
				return;
			}
			forward = new CachedBodyRequest(request, body);
		}
		chain.doFilter(forward, response);
	}

	static boolean hasExpression(String text) {
		return text.contains("${") || text.contains("#{");
	}

	private static void refuse(HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		response.setContentType("application/json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"InvalidRequestException\","
					+ "\"message\":\"Expressions (${...} or #{...}) are not allowed in task or filter queries.\"}");
	}

}
