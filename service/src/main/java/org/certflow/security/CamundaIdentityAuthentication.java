package org.certflow.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * One set of users for everything: Spring Security checks passwords against the Camunda
 * identity service, and a user's authorities are its Camunda groups ({@code GROUP_<id>}).
 */
@Component
class CamundaIdentityAuthentication implements AuthenticationProvider {

	static final String GROUP_PREFIX = "GROUP_";

	private final IdentityService identity;

	CamundaIdentityAuthentication(IdentityService identity) {
		this.identity = identity;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String user = authentication.getName();
		Object credentials = authentication.getCredentials();
		if (user == null || user.isBlank() || credentials == null
				|| !this.identity.checkPassword(user, credentials.toString())) {
			throw new BadCredentialsException("Wrong user name or password");
		}
		List<GrantedAuthority> authorities = this.identity.createGroupQuery()
			.groupMember(user)
			.list()
			.stream()
			.map(Group::getId)
			.<GrantedAuthority>map((group) -> new SimpleGrantedAuthority(GROUP_PREFIX + group))
			.toList();
		return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
