package org.certflow.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.camunda.bpm.engine.IdentityService;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands the user Spring Security authenticated on to the engine for the length of one
 * engine REST call, so that the engine's authorization checks apply to that user and its
 * groups.
 */
class EngineIdentityFilter extends OncePerRequestFilter {

	private final IdentityService identity;

	EngineIdentityFilter(IdentityService identity) {
		this.identity = identity;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			chain.doFilter(request, response);
			return;
		}
		List<String> groups = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith(CamundaIdentityAuthentication.GROUP_PREFIX))
			.map((authority) -> authority.substring(CamundaIdentityAuthentication.GROUP_PREFIX.length()))
			.toList();
		this.identity.setAuthentication(authentication.getName(), groups);
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.identity.clearAuthentication();
		}
	}

}
