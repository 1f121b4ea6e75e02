package org.certflow.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

/**
 * Who may call what. Three chains:
 * <ol>
 * <li>engine REST ({@code /engine-rest/**}): HTTP Basic against the Camunda users, the
 * user handed to the engine so its authorization checks apply; stateless.</li>
 * <li>our API ({@code /api/**}): RA admin endpoints need HTTP Basic and group ra-admins
 * or camunda-admin; applicant endpoints take capabilities (token, code + PIN) in the
 * body. Every write takes only {@code application/json}, which a cross-site form cannot
 * send without a CORS preflight we never answer: that is its CSRF protection, since it
 * keeps no session.</li>
 * <li>everything else: applicant pages with Spring's CSRF tokens, Camunda webapps with
 * their own login and CSRF filter, the admin first-run setup closed for good, public CA
 * material.</li>
 * </ol>
 * The RA console ({@code /ramc/**}) has a chain of its own, {@link RamcSecurity}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String[] RA_ADMIN = { CamundaIdentityAuthentication.GROUP_PREFIX + CamundaAccess.RA_ADMINS,
			CamundaIdentityAuthentication.GROUP_PREFIX + Groups.CAMUNDA_ADMIN };

	@Bean
	@Order(1)
	SecurityFilterChain engineRest(HttpSecurity http, IdentityService identity) throws Exception {
		http.securityMatcher(new PathPrefix("/engine-rest"))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.httpBasic((basic) -> basic.realmName("CertFlow engine"))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterAfter(new EngineIdentityFilter(identity), BasicAuthenticationFilter.class)
			.addFilterAfter(new SignerPathFilter(), EngineIdentityFilter.class);
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain api(HttpSecurity http) throws Exception {
		http.securityMatcher(new PathPrefix("/api"))
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.POST, "/api/v1/applications", "/api/v1/activations")
				.permitAll()
				// The signer's technical user completes its chunks here, and nobody else.
				.requestMatchers("/api/v1/signer/**")
				.hasAuthority(CamundaIdentityAuthentication.GROUP_PREFIX + CamundaAccess.SIGNERS)
				.requestMatchers("/api/v1/users/**")
				.hasAuthority(CamundaIdentityAuthentication.GROUP_PREFIX + Groups.CAMUNDA_ADMIN)
				.requestMatchers("/api/v1/**")
				.hasAnyAuthority(RA_ADMIN)
				.anyRequest()
				.denyAll())
			.httpBasic((basic) -> basic.realmName("CertFlow RA"))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain pages(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((authorize) -> authorize
			// The first-run setup creates an administrator when camunda-admin has no
			// direct
			// member; we always keep one, and close the path so it can never be reached.
			.requestMatchers(new PathPrefix("/camunda/api/admin/setup"))
			.denyAll()
			.requestMatchers(new PathPrefix("/camunda"))
			.permitAll()
			.requestMatchers("/", "/apply", "/activate", "/activate/done", "/activate/certificate.*",
					"/activate/key.p12", "/error", "/css/**", "/js/**", "/favicon.ico")
			.permitAll()
			// The applicant's status page is public: its token is the capability.
			.requestMatchers("/status", "/js/apply-form.js")
			.permitAll()
			.requestMatchers("/ca/**", "/ocsp", "/ocsp/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/health")
			.permitAll()
			.anyRequest()
			.authenticated())
			.httpBasic((basic) -> basic.realmName("CertFlow"))
			// Invitation and activation links carry capabilities in the query: never let
			// them
			// leave in a Referer. Our own pages load nothing from elsewhere; the Camunda
			// webapps
			// send a policy of their own.
			.headers((headers) -> headers.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
						new NegatedRequestMatcher(new PathPrefix("/camunda")),
						new StaticHeadersWriter("Content-Security-Policy",
								"default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"))))
			// Camunda's webapps carry their own CSRF filter (X-XSRF-TOKEN); OCSP requests
			// are
			// unauthenticated reads by design.
			.csrf((csrf) -> csrf.ignoringRequestMatchers(new PathPrefix("/camunda"), new PathPrefix("/ocsp")));
		return http.build();
	}

}
