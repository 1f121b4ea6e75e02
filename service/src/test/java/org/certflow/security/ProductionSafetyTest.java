package org.certflow.security;

import java.net.URI;
import java.nio.file.Path;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProductionSafetyTest {

	@Test
	void productionRefusesToStartWithDemoSettingsAndNamesThem() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProductionSafety
				.check(properties(true, true, "admin", ProductionSafety.DEMO_KEYSTORE_PASSWORD, true)))
			.withMessageContaining("certflow.demo-users")
			.withMessageContaining("certflow.admin.password")
			.withMessageContaining("certflow.ca.keystore-password")
			.withMessageContaining("certflow.mail.embedded.enabled")
			.withMessageContaining("certflow.ca.policy-oid");
	}

	@Test
	void productionRefusesAnAdminPasswordEqualToTheName() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProductionSafety.check(properties(true, false, "admin", "a-real-keystore-secret", false)))
			.withMessageContaining("certflow.admin.password");
	}

	@Test
	void productionStartsWithRealSettings() {
		assertThatCode(() -> ProductionSafety
			.check(properties(true, false, "a long admin secret", "a-real-keystore-secret", false)))
			.doesNotThrowAnyException();
	}

	@Test
	void demoSettingsAreFineOutsideProduction() {
		assertThatCode(() -> ProductionSafety
			.check(properties(false, true, "admin", ProductionSafety.DEMO_KEYSTORE_PASSWORD, true)))
			.doesNotThrowAnyException();
	}

	private static CertFlowProperties properties(boolean production, boolean demoUsers, String adminPassword,
			String keystorePassword, boolean embeddedMail) {
		String policy = demoUsers ? ProductionSafety.EXAMPLE_POLICY_OID : "1.3.6.1.4.1.99999.7.1";
		return CertFlowPropertiesFixture.properties(Path.of("data"), production, demoUsers, adminPassword, embeddedMail,
				new CertFlowProperties.Ca(keystorePassword, URI.create("http://localhost/ca/crl"), null,
						URI.create("http://localhost/ocsp"), URI.create("http://localhost/ca/issuing-ca.cer"), policy,
						null, null, null, null, null, null, null, null, null));
	}

}
