package org.certflow.security;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

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
			forward = new CachedBody(request, body);
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

	private static final class CachedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new IllegalStateException("Synchronous reads only");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
