package org.certflow.it;

import org.springframework.test.context.ActiveProfilesResolver;

/**
 * Profiles of the integration suite: {@code it} always, with {@code it-h2} (in-memory H2)
 * or, when {@code -Dcertflow.it.mysql=true} (set by .ci/run, which provides MariaDB),
 * {@code mysql}, so that the same suite runs through Connector/J without a second copy of
 * any test.
 */
public class ItProfiles implements ActiveProfilesResolver {

	@Override
	public String[] resolve(Class<?> testClass) {
		// "it" comes after "mysql" so that it can turn the embedded mail server back on.
		return Boolean.getBoolean("certflow.it.mysql") ? new String[] { "mysql", "it" }
				: new String[] { "it-h2", "it" };
	}

}
