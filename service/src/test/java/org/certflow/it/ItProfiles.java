package org.certflow.it;

import org.springframework.test.context.ActiveProfilesResolver;

/**
 * Profiles of the integration suite: {@code it} always, plus {@code mysql} when
 * {@code -Dcertflow.it.mysql=true} (set by .ci/run, which provides MariaDB), so that the
 * same suite runs through Connector/J without a second copy of any test.
 */
public class ItProfiles implements ActiveProfilesResolver {

	@Override
	public String[] resolve(Class<?> testClass) {
		return Boolean.getBoolean("certflow.it.mysql") ? new String[] { "it", "mysql" } : new String[] { "it" };
	}

}
