package org.certflow.security;

import java.util.ArrayList;
import java.util.List;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;

/**
 * Refuses a production start with settings meant for a demo: demo users, the demo admin
 * password, the demo key store password, the embedded mail server.
 */
public final class ProductionSafety {

	static final String DEMO_KEYSTORE_PASSWORD = "certflow-demo-keystore";

	static final String EXAMPLE_POLICY_OID = "1.3.6.1.4.1.55555.1.1";

	private ProductionSafety() {
	}

	/**
	 * Checks an RA node; with {@code holdsCaKey} (the embedded default, where the signer
	 * runs in the same JVM) also the CA's settings.
	 * @param properties the settings
	 * @param ca the CA's settings
	 * @param holdsCaKey whether this process also opens the CA key store
	 * @throws IllegalStateException naming every demo setting still on
	 */
	static void check(CertFlowProperties properties, CaSettings.Values ca, boolean holdsCaKey) {
		if (!properties.production()) {
			return;
		}
		List<String> problems = new ArrayList<>();
		raProblems(properties, problems);
		if (holdsCaKey) {
			caProblems(ca, problems);
		}
		refuse(problems);
	}

	/**
	 * Checks a signer process: the CA's settings only (it has no users, web or mail).
	 * @param properties the settings
	 * @param ca the CA's settings
	 * @throws IllegalStateException naming every demo setting still on
	 */
	public static void checkSigner(CertFlowProperties properties, CaSettings.Values ca) {
		if (!properties.production()) {
			return;
		}
		List<String> problems = new ArrayList<>();
		caProblems(ca, problems);
		refuse(problems);
	}

	private static void raProblems(CertFlowProperties properties, List<String> problems) {
		if (properties.demoUsers()) {
			problems.add("certflow.demo-users must be false");
		}
		if (properties.admin().password().equals(properties.admin().id())
				|| properties.admin().password().length() < 12) {
			problems.add("certflow.admin.password must be set to a password of at least 12 characters that is not "
					+ "the user name");
		}
		if (properties.mail().embedded().enabled()) {
			problems.add("certflow.mail.embedded.enabled must be false (configure spring.mail.* for your SMTP server)");
		}
	}

	private static void caProblems(CaSettings.Values ca, List<String> problems) {
		if (DEMO_KEYSTORE_PASSWORD.equals(ca.keystorePassword())) {
			problems.add("certflow.ca.keystore-password must not be the demo password");
		}
		if (EXAMPLE_POLICY_OID.equals(ca.policyOid())) {
			problems.add("certflow.ca.policy-oid must be your own certificate policy OID");
		}
	}

	private static void refuse(List<String> problems) {
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"certflow.production=true but demo settings are on: " + String.join("; ", problems) + ".");
		}
	}

}
