package org.certflow.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;

import org.certflow.CertFlowProperties;
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
			.withMessageContaining("certflow.mail.embedded.enabled");
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
		return new CertFlowProperties(Path.of("data"), URI.create("http://localhost:8080"), production, demoUsers,
				new CertFlowProperties.Admin("admin", adminPassword),
				new CertFlowProperties.Invitation(Period.ofDays(14)),
				new CertFlowProperties.Activation(Period.ofDays(30), 5),
				new CertFlowProperties.Validation(Period.ofDays(1)),
				new CertFlowProperties.Signer(true, Duration.ofMillis(500), Duration.ofMinutes(5)),
				new CertFlowProperties.Mail("certflow@localhost",
						new CertFlowProperties.Mail.Embedded(embeddedMail, 3025, 3143)),
				new CertFlowProperties.Ca(keystorePassword, URI.create("http://localhost/ca/crl"),
						URI.create("http://localhost/ocsp"), URI.create("http://localhost/ca/issuing-ca.cer"),
						"1.3.6.1.4.1.55555.1.1"));
	}

}
