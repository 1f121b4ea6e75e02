package org.certflow.security;

import java.util.ArrayList;
import java.util.List;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;

/**
 * Refuses a production start with settings meant for a demo: demo users, the demo admin
 * password, the demo key store password, the embedded mail server.
 */
final class ProductionSafety {

	static final String DEMO_KEYSTORE_PASSWORD = "certflow-demo-keystore";

	static final String EXAMPLE_POLICY_OID = "1.3.6.1.4.1.55555.1.1";

	private ProductionSafety() {
	}

	static void check(CertFlowProperties properties, CaSettings.Values ca) {
		if (!properties.production()) {
			return;
		}
		List<String> problems = new ArrayList<>();
		if (properties.demoUsers()) {
			problems.add("certflow.demo-users must be false");
		}
		if (properties.admin().password().equals(properties.admin().id())
				|| properties.admin().password().length() < 12) {
			problems.add("certflow.admin.password must be set to a password of at least 12 characters that is not "
					+ "the user name");
		}
		if (DEMO_KEYSTORE_PASSWORD.equals(ca.keystorePassword())) {
			problems.add("certflow.ca.keystore-password must not be the demo password");
		}
		if (EXAMPLE_POLICY_OID.equals(ca.policyOid())) {
			problems.add("certflow.ca.policy-oid must be your own certificate policy OID");
		}
		if (properties.mail().embedded().enabled()) {
			problems.add("certflow.mail.embedded.enabled must be false (configure spring.mail.* for your SMTP server)");
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"certflow.production=true but demo settings are on: " + String.join("; ", problems) + ".");
		}
	}

}
