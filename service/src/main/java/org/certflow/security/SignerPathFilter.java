package org.certflow.security;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.certflow.support.EngineRestErrors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The signer's technical users (group certflow-signers) may call exactly the external
 * task calls a signer makes, and nothing else in the engine REST API, whatever the
 * engine's authorizations would allow: fetch and lock, and complete, fail, throw a BPMN
 * error or extend the lock of a task it holds. The engine's own authorizations are the
 * second wall: the group may only touch instances of the certificate request process.
 */
class SignerPathFilter extends OncePerRequestFilter {

	private static final String ENGINE_REST = "/engine-rest";

	// Camunda's external task ids are UUIDs; an id is never more than a path segment.
	private static final Pattern ALLOWED = Pattern.compile(
			"/external-task/fetchAndLock|/external-task/[A-Za-z0-9-]{1,64}/(complete|failure|bpmnError|extendLock)");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isSigner(SecurityContextHolder.getContext().getAuthentication()) && !allowed(request)) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_FORBIDDEN,
					"The signer's technical user may only fetch, complete, fail or extend "
							+ "ca-sign-certificate external tasks.");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isSigner(Authentication authentication) {
		return authentication != null && authentication.isAuthenticated()
				&& authentication.getAuthorities()
					.stream()
					.anyMatch((authority) -> authority.getAuthority()
						.equals(CamundaIdentityAuthentication.GROUP_PREFIX + CamundaAccess.SIGNERS));
	}

	private static boolean allowed(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return "POST".equals(request.getMethod()) && path.startsWith(ENGINE_REST)
				&& ALLOWED.matcher(path.substring(ENGINE_REST.length())).matches();
	}

}
