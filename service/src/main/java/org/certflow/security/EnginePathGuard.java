package org.certflow.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.certflow.support.EngineRestErrors;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything else looks at them, engine and webapp API requests whose path
 * is not written the one plain way: path parameters ({@code ;jsessionid=}), empty,
 * {@code .} or {@code ..} segments, backslashes, characters percent-encoded that need no
 * encoding ({@code %63omplete}, {@code %2F}), a trailing slash on a write to the engine
 * API, and malformed percent-encoding in path or query. Tomcat, Spring and Jersey each
 * normalise such paths their own way, so a check keyed on the path (ours or the engine's)
 * could see one endpoint while Jersey serves another. With one spelling left, they all
 * agree.
 */
class EnginePathGuard extends OncePerRequestFilter {

	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String problem = problem(request.getMethod(), request.getRequestURI(), request.getQueryString());
		if (problem != null) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST, problem);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * @return why the request is refused, or {@code null}
	 */
	static String problem(String method, String rawPath, String rawQuery) {
		if (rawPath.indexOf(';') >= 0 || rawPath.indexOf('\\') >= 0) {
			return "Path parameters (;) and backslashes are not allowed in API paths.";
		}
		if (rawPath.contains("//") || rawPath.contains("/./") || rawPath.contains("/../") || rawPath.endsWith("/.")
				|| rawPath.endsWith("/..")) {
			return "Empty, '.' and '..' path segments are not allowed in API paths.";
		}
		// Only the engine API doors: Cockpit's own plugin API is left as its client
		// spells it.
		boolean engineApi = rawPath.contains("/engine-rest/") || rawPath.contains("/camunda/api/engine/");
		if (rawPath.endsWith("/") && engineApi && !READS.contains(method)) {
			return "Remove the trailing slash from the path.";
		}
		String encoding = encodingProblem(rawPath, true);
		if (encoding != null) {
			return "The path " + encoding;
		}
		encoding = (rawQuery != null) ? encodingProblem(rawQuery, false) : null;
		if (encoding != null) {
			return "The query string " + encoding;
		}
		return null;
	}

	private static String encodingProblem(String text, boolean path) {
		for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
			int high = (i + 2 < text.length()) ? Character.digit(text.charAt(i + 1), 16) : -1;
			int low = (high >= 0) ? Character.digit(text.charAt(i + 2), 16) : -1;
			if (low < 0) {
				return "has a '%' that is not followed by two hexadecimal digits; encode '%' itself as %25.";
			}
			char decoded = (char) (high * 16 + low);
			if (path && decoded < 0x80 && (Character.isLetterOrDigit(decoded) || "-._~/\\;%".indexOf(decoded) >= 0)) {
				return "encodes '" + decoded + "' (%" + text.substring(i + 1, i + 3)
						+ "), which must be written as it is.";
			}
		}
		return null;
	}

}
