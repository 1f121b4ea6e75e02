package org.certflow.security;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.db.DbIdentityServiceProvider;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Puts {@link LoginThrottle} where every password is checked: the engine's identity
 * provider. Engine REST, our API and the pages (through
 * {@link CamundaIdentityAuthentication}) and the webapps' own login all end in
 * {@code IdentityService.checkPassword}.
 * <p>
 * The engine's own lock is switched off: after loginMaxAttempts wrong passwords it locks
 * a user for good, in the database, and anonymous requests drive that counter, so anyone
 * could lock out the administrator. Its growing delay is off too (it refuses even the
 * right password, from every client): our throttle replaces both.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class LoginThrottlePlugin extends AbstractProcessEnginePlugin {

	/** The client of a check made outside any HTTP request. */
	static final String NO_CLIENT = "local";

	private final LoginThrottle throttle;

	LoginThrottlePlugin(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		configuration.setLoginMaxAttempts(Integer.MAX_VALUE);
		configuration.setLoginDelayMaxTime(0);
		configuration.setIdentityProviderSessionFactory(new SessionFactory() {

			@Override
			public Class<?> getSessionType() {
				// So that it serves as read-only and as writable provider.
				return DbIdentityServiceProvider.class;
			}

			@Override
			public Session openSession() {
				return new ThrottledIdentityProvider(LoginThrottlePlugin.this.throttle);
			}

		});
	}

	/** The address of the HTTP client this thread serves, or {@link #NO_CLIENT}. */
	static String currentClient() {
		String client = LoginThrottleFilter.currentClient();
		return (client != null) ? client : NO_CLIENT;
	}

	/** The engine's database identity provider, asked only when the throttle allows. */
	static final class ThrottledIdentityProvider extends DbIdentityServiceProvider {

		private final LoginThrottle throttle;

		ThrottledIdentityProvider(LoginThrottle throttle) {
			this.throttle = throttle;
		}

		@Override
		public boolean checkPassword(String userId, String password) {
			if (userId == null) {
				return false;
			}
			String client = currentClient();
			if (!this.throttle.waitBefore(client, userId).isZero()) {
				// Not even checked, so it neither counts nor tells a guesser anything.
				return false;
			}
			boolean right = super.checkPassword(userId, password);
			if (right) {
				this.throttle.succeeded(client, userId);
			}
			else {
				this.throttle.failed(client, userId);
			}
			return right;
		}

	}

}
