package org.certflow.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies of our API and applicant pages at 64 KiB: a declared larger body is
 * answered 413 before it is read, an undeclared (chunked) one fails with 413 when it
 * passes the limit. Nothing is stored for a refused body. Batch uploads have a limit of
 * their own (another instance, see {@link BatchWebConfiguration}).
 */
class RequestSizeLimitFilter extends OncePerRequestFilter {

	static final long LIMIT = 64 * 1024;

	private final long limit;

	private final java.util.Set<String> exempt;

	RequestSizeLimitFilter() {
		this(LIMIT, BatchApiController.PATH, RamcBatchPages.PATH);
	}

	/**
	 * @param limit the largest body taken, in bytes
	 * @param exempt paths this instance leaves to another
	 */
	RequestSizeLimitFilter(long limit, String... exempt) {
		this.limit = limit;
		this.exempt = java.util.Set.of(exempt);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		return this.exempt.stream().anyMatch((path) -> (context + path).equals(uri));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = this.limit;
		if (request.getContentLengthLong() > limit) {
			response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Payload Too Large\",\"status\":413,"
						+ "\"detail\":\"The request body is larger than " + PayloadTooLargeException.size(limit)
						+ ".\"}");
			return;
		}
		chain.doFilter(new Limited(request, limit), response);
	}

	private static final class Limited extends HttpServletRequestWrapper {

		private ServletInputStream stream;

		private final long limit;

		Limited(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long limit;

		private long read;

		LimitedStream(ServletInputStream in, long limit) {
			this.in = in;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			this.read += n;
			if (this.read > this.limit) {
				throw new PayloadTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

}
