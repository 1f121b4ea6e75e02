package org.certflow.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers HTTP Basic requests that the {@link LoginThrottle} holds back with 429 and
 * Retry-After, before Spring Security would check the password (the identity provider
 * refuses them too, should one slip past between two requests). A held-back client learns
 * when to come back, not whether its password was right.
 * <p>
 * Every request passes here first (the webapps' login too), so this is also where the
 * identity provider learns which client it is checking a password for.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

	private static final String BASIC = "basic ";

	/**
	 * The client address of the request this thread serves, for the identity provider,
	 * which the engine calls without the request.
	 */
	private static final ThreadLocal<String> CLIENT = new ThreadLocal<>();

	private final LoginThrottle throttle;

	LoginThrottleFilter(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String user = basicUser(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (user != null) {
			Duration wait = this.throttle.waitBefore(request.getRemoteAddr(), user);
			if (!wait.isZero()) {
				tooManyAttempts(response, wait);
				return;
			}
		}
		String outer = CLIENT.get();
		CLIENT.set(request.getRemoteAddr());
		try {
			chain.doFilter(request, response);
		}
		finally {
			CLIENT.set(outer);
		}
	}

	/** The address of the HTTP client this thread serves, or null outside a request. */
	static String currentClient() {
		return CLIENT.get();
	}

	/** The user name in a Basic authorization header, or null if there is none. */
	static String basicUser(String header) {
		if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
			return null;
		}
		try {
			String decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
					StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			return (colon > 0) ? decoded.substring(0, colon) : null;
		}
		catch (IllegalArgumentException ex) {
			// Spring Security answers a malformed header itself.
			return null;
		}
	}

	private static void tooManyAttempts(HttpServletResponse response, Duration wait) throws IOException {
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		response.setStatus(429);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
					+ "\"detail\":\"Too many wrong passwords. Try again in " + seconds + " seconds.\"}");
	}

}
