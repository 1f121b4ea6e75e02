package org.certflow.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Once shutdown has begun, new requests get 503 with Retry-After instead of reaching a
 * signer, engine or database that is stopping (which answered 500). It is the first
 * lifecycle to stop, before the web server's graceful shutdown lets the requests already
 * in progress finish.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ShuttingDownFilter extends OncePerRequestFilter implements SmartLifecycle {

	/**
	 * Seconds a client should wait: a restart of the embedded default takes about this.
	 */
	static final String RETRY_AFTER_SECONDS = "30";

	private static final byte[] PROBLEM = ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
			+ "\"detail\":\"CertFlow is shutting down and takes no new requests. Try again in a minute.\"}")
		.getBytes(StandardCharsets.UTF_8);

	private volatile boolean running;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.running) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
			response.setHeader(HttpHeaders.CONNECTION, "close");
			response.setContentType("application/problem+json");
			response.setContentLength(PROBLEM.length);
			response.getOutputStream().write(PROBLEM);
			return;
		}
		chain.doFilter(request, response);
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// Stops first: the web server's graceful shutdown and everything after it come later.
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
