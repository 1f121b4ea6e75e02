package org.certflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.Map;

import org.certflow.ca.CaSettings;

/**
 * Settings for unit tests that need a {@link CertFlowProperties} without a Spring
 * context. The CA's settings are not among them: see {@link #caValues}.
 */
public final class CertFlowPropertiesFixture {

	private CertFlowPropertiesFixture() {
	}

	/**
	 * CA settings with every required value set and every other one left to the CA's
	 * default, as an installation that sets only the README's required rows.
	 * @param keystorePassword the key store password
	 * @param policyOid the certificate policy OID
	 * @param keyStorage the key storage, or {@code null} for the default
	 * @param profiles the profiles, or {@code null} for the default
	 * @return the values
	 */
	public static CaSettings.Values caValues(String keystorePassword, String policyOid,
			CaSettings.KeyStorage keyStorage, Map<String, CaSettings.Values.Profile> profiles) {
		return new CaSettings.Values(keystorePassword, "http://ca.example/crl", "http://ca.example/root.crl",
				"http://ca.example/ocsp", "http://ca.example/issuing.cer", policyOid, keyStorage, null, null, null,
				null, null, null, null, null, null, null, null, profiles);
	}

	public static CertFlowProperties properties(Path dataDir, boolean production, boolean demoUsers,
			String adminPassword, boolean embeddedMail) {
		return new CertFlowProperties(dataDir, URI.create("http://localhost:8080"), production, demoUsers,
				new CertFlowProperties.Admin("admin", adminPassword),
				new CertFlowProperties.Invitation(Period.ofDays(14)),
				new CertFlowProperties.Activation(Period.ofDays(30), 5),
				new CertFlowProperties.Validation(Period.ofDays(1)),
				new CertFlowProperties.Signer("http://127.0.0.1:8080/engine-rest", "certflow-signer", "", 2, 10,
						Duration.ofSeconds(30), Duration.ofSeconds(5)),
				new CertFlowProperties.Mail("certflow@localhost",
						new CertFlowProperties.Mail.Embedded(embeddedMail, 0, 0)));
	}

}
