package org.certflow.security;

import java.util.ArrayList;
import java.util.List;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;

/**
 * Refuses a production start with settings meant for a demo: demo users, the demo admin
 * password, the demo key store password, the embedded mail server, a plain http:// public
 * address for applicants' links.
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
	 * @param access how applicants reach this node
	 * @throws IllegalStateException naming every demo setting still on
	 */
	static void check(CertFlowProperties properties, CaSettings.Values ca, boolean holdsCaKey, PublicAccess access) {
		if (!properties.production()) {
			return;
		}
		List<String> problems = new ArrayList<>();
		raProblems(properties, problems);
		accessProblems(properties, access, problems);
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

	/**
	 * Applicants' links carry their invitation token or activation code, and the pages
	 * behind them take their data: they must be https. Behind a TLS proxy the link is the
	 * proxy's https address too (a plain link would send the token in clear before any
	 * redirect could help), so the proxy setting excuses nothing here; it needs the
	 * forwarded headers read, so that a request the proxy got over TLS counts as secure
	 * (HSTS, secure redirects).
	 */
	private static void accessProblems(CertFlowProperties properties, PublicAccess access, List<String> problems) {
		if (!"https".equalsIgnoreCase(properties.publicBaseUrl().getScheme())) {
			problems.add("certflow.public-base-url must be an https:// address (applicants' mailed links carry their "
					+ "token; " + (access.behindTlsProxy() ? "use your TLS proxy's https address"
							: "terminate TLS in a proxy and set certflow.behind-tls-proxy=true"));
		}
		if (access.behindTlsProxy() && !access.forwardedHeaders()) {
			problems.add("certflow.behind-tls-proxy=true needs server.forward-headers-strategy=native (or framework), "
					+ "so that X-Forwarded-Proto from the proxy marks requests secure");
		}
	}

	/**
	 * How applicants reach an RA node.
	 *
	 * @param behindTlsProxy whether a proxy in front of it terminates TLS
	 * ({@code certflow.behind-tls-proxy})
	 * @param forwardedHeaders whether it reads X-Forwarded-* headers
	 * ({@code server.forward-headers-strategy} other than none)
	 */
	record PublicAccess(boolean behindTlsProxy, boolean forwardedHeaders) {
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
