package org.certflow.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.UrlPathHelper;

/**
 * Matches requests by their path within the application, whichever servlet serves them.
 * Spring Security's pattern matchers resolve paths against the DispatcherServlet, but the
 * engine REST API (Jersey) and the Camunda webapps are other servlets and filters, so a
 * plain pattern could silently miss them and let their calls fall through to another
 * chain.
 */
record PathPrefix(String prefix) implements RequestMatcher {

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	@Override
	public boolean matches(HttpServletRequest request) {
		String path = PATHS.getPathWithinApplication(request);
		return path.equals(this.prefix) || path.startsWith(this.prefix + "/");
	}

}
