package org.certflow.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The RA console ({@code /ramc/**}): a form login against the Camunda users, kept in the
 * HTTP session the Camunda webapps use too, so one login serves both ways:
 * <ul>
 * <li>a console login also logs the user into Cockpit and Tasklist (the links from the
 * dashboard open without a second login);</li>
 * <li>a user already logged into a Camunda webapp is let into the console without a
 * second login ({@link CamundaWebappLogin}), with groups read again from the identity
 * service on every request;</li>
 * <li>logging out of either logs out of both.</li>
 * </ul>
 * Only groups ra-admins and camunda-admin get in; other users see a 403 page, anonymous
 * users the login page. CSRF tokens on every form. Wrong passwords are slowed down by the
 * same {@link LoginThrottle} as every other login (the identity provider refuses a
 * held-back attempt without checking it); the page says how long to wait.
 * <p>
 * First of the chains (order 0): its paths are its own, so it takes nothing from the
 * others.
 */
@Configuration(proxyBeanMethods = false)
class RamcSecurity {

	static final String LOGIN = "/ramc/login";

	static final String DENIED = "/ramc/denied";

	/** The attribute under which the Camunda webapps keep their logins. */
	static final String WEBAPP_AUTHENTICATIONS = "authenticatedUser";

	/** Set when a console login also logged the user into the webapps. */
	static final String WEBAPP_LINKED = RamcSecurity.class.getName() + ".webappLogin";

	private static final String[] RA_ADMIN = { CamundaIdentityAuthentication.GROUP_PREFIX + CamundaAccess.RA_ADMINS,
			CamundaIdentityAuthentication.GROUP_PREFIX + Groups.CAMUNDA_ADMIN };

	// Camunda's webapps re-read a session's groups after this long; ours never cache
	// them.
	private static final Duration WEBAPP_CACHE = Duration.ofMinutes(5);

	@Bean
	@Order(0)
	SecurityFilterChain ramc(HttpSecurity http, ProcessEngine engine, LoginThrottle throttle) throws Exception {
		http.securityMatcher(new PathPrefix("/ramc"))
			// The login page with any query (?error, ?wait=, ?logout): formLogin's own
			// permitAll matches its URLs with their exact query only.
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(DENIED, LOGIN)
				.permitAll()
				.anyRequest()
				.hasAnyAuthority(RA_ADMIN))
			.formLogin((form) -> form.loginPage(LOGIN)
				.successHandler(new WebappSessionLogin(engine))
				.failureHandler(new ThrottledLoginFailure(throttle))
				.permitAll())
			.logout((logout) -> logout.logoutUrl("/ramc/logout").logoutSuccessUrl(LOGIN + "?logout").permitAll())
			.exceptionHandling((exceptions) -> exceptions.accessDeniedPage(DENIED))
			.addFilterBefore(new CamundaWebappLogin(engine), AnonymousAuthenticationFilter.class)
			.headers((headers) -> headers.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.contentSecurityPolicy((csp) -> csp.policyDirectives(
						"default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")));
		return http.build();
	}

	/**
	 * After a console login, logs the same user into the Camunda webapps in the same
	 * session, as the webapps' own login would.
	 */
	static final class WebappSessionLogin extends SavedRequestAwareAuthenticationSuccessHandler {

		private final ProcessEngine engine;

		WebappSessionLogin(ProcessEngine engine) {
			this.engine = engine;
			setDefaultTargetUrl("/ramc");
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws ServletException, IOException {
			UserAuthentication webapp = AuthenticationUtil.createAuthentication(this.engine, authentication.getName());
			if (webapp != null) {
				webapp.setCacheValidationTime(new Date(System.currentTimeMillis() + WEBAPP_CACHE.toMillis()));
				HttpSession session = request.getSession();
				Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
				authentications.addOrReplace(webapp);
				AuthenticationUtil.updateSession(session, authentications);
				session.setAttribute(WEBAPP_LINKED, Boolean.TRUE);
			}
			super.onAuthenticationSuccess(request, response, authentication);
		}

	}

	/**
	 * Back to the login page, saying how long to wait when the throttle holds this client
	 * back for this user.
	 */
	static final class ThrottledLoginFailure implements AuthenticationFailureHandler {

		private final LoginThrottle throttle;

		ThrottledLoginFailure(LoginThrottle throttle) {
			this.throttle = throttle;
		}

		@Override
		public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
				org.springframework.security.core.AuthenticationException exception) throws IOException {
			String user = request.getParameter("username");
			Duration wait = (user == null || user.isBlank()) ? Duration.ZERO
					: this.throttle.waitBefore(request.getRemoteAddr(), user);
			String target = wait.isZero() ? LOGIN + "?error"
					: LOGIN + "?wait=" + Math.max(1, (wait.toMillis() + 999) / 1000);
			response.sendRedirect(request.getContextPath() + target);
		}

	}

	/**
	 * Lets in a user who logged in through a Camunda webapp in this session. The webapp's
	 * login only names the user: the groups that decide are read from the identity
	 * service on every request, so a user taken out of ra-admins loses the console at
	 * once.
	 */
	static final class CamundaWebappLogin extends OncePerRequestFilter {

		private final ProcessEngine engine;

		CamundaWebappLogin(ProcessEngine engine) {
			this.engine = engine;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication current = SecurityContextHolder.getContext().getAuthentication();
			HttpSession session = request.getSession(false);
			if (current != null && session != null && session.getAttribute(WEBAPP_LINKED) != null
					&& !(session.getAttribute(WEBAPP_AUTHENTICATIONS) instanceof Authentications linked
							&& linked.hasAuthenticationForProcessEngine(this.engine.getName()))) {
				// Logged out in a webapp (which keeps the session): out of the console
				// too.
				session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
				session.removeAttribute(WEBAPP_LINKED);
				SecurityContextHolder.clearContext();
				current = null;
			}
			if (current == null && session != null
					&& session.getAttribute(WEBAPP_AUTHENTICATIONS) instanceof Authentications authentications) {
				var webapp = authentications.getAuthenticationForProcessEngine(this.engine.getName());
				String user = (webapp != null) ? webapp.getIdentityId() : null;
				IdentityService identity = this.engine.getIdentityService();
				if (user != null && identity.createUserQuery().userId(user).count() == 1) {
					List<GrantedAuthority> groups = identity.createGroupQuery()
						.groupMember(user)
						.list()
						.stream()
						.map(Group::getId)
						.<GrantedAuthority>map((group) -> new SimpleGrantedAuthority(
								CamundaIdentityAuthentication.GROUP_PREFIX + group))
						.toList();
					SecurityContext context = SecurityContextHolder.createEmptyContext();
					context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, groups));
					// For this request only: the webapp's session stays the source of
					// truth.
					SecurityContextHolder.setContext(context);
				}
			}
			chain.doFilter(request, response);
		}

	}

}
