package org.certflow.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How wrong passwords are slowed down, under {@code certflow.login-throttle.*}.
 *
 * @param userFreeAttempts wrong passwords for one user (from clients that never logged in
 * as that user) before its back-off starts
 * @param clientFreeAttempts wrong passwords from one client address before its back-off
 * starts
 * @param firstDelay the first back-off; each further wrong password doubles it
 * @param userMaxDelay the longest a user is ever held back: short, because anyone can
 * start it
 * @param clientMaxDelay the longest a client address is held back: long, because only
 * that client suffers it
 * @param knownClientMemory how long a client address that logged in as a user stays
 * exempt from that user's back-off
 */
@ConfigurationProperties("certflow.login-throttle")
record LoginThrottleSettings(@DefaultValue("5") int userFreeAttempts, @DefaultValue("20") int clientFreeAttempts,
		@DefaultValue("PT1S") Duration firstDelay, @DefaultValue("PT60S") Duration userMaxDelay,
		@DefaultValue("PT15M") Duration clientMaxDelay, @DefaultValue("P30D") Duration knownClientMemory) {

	LoginThrottleSettings {
		if (userFreeAttempts < 0 || clientFreeAttempts < 0 || firstDelay.isNegative()
				|| userMaxDelay.compareTo(Duration.ofMinutes(5)) > 0 || clientMaxDelay.isNegative()) {
			throw new IllegalArgumentException("certflow.login-throttle: free attempts and delays must not be "
					+ "negative, and user-max-delay must be at most 5 minutes, so that nobody can keep a user out");
		}
	}

}
