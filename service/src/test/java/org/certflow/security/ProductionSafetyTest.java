package org.certflow.security;

import java.net.URI;
import java.nio.file.Path;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.certflow.ca.CaSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProductionSafetyTest {

	@Test
	void productionRefusesToStartWithDemoSettingsAndNamesThem() {
		assertThatIllegalStateException()
			.isThrownBy(() -> check(properties(true, true, "admin", ProductionSafety.DEMO_KEYSTORE_PASSWORD, true)))
			.withMessageContaining("certflow.demo-users")
			.withMessageContaining("certflow.admin.password")
			.withMessageContaining("certflow.ca.keystore-password")
			.withMessageContaining("certflow.mail.embedded.enabled")
			.withMessageContaining("certflow.ca.policy-oid");
	}

	@Test
	void productionRefusesAnAdminPasswordEqualToTheName() {
		assertThatIllegalStateException()
			.isThrownBy(() -> check(properties(true, false, "admin", "a-real-keystore-secret", false)))
			.withMessageContaining("certflow.admin.password");
	}

	@Test
	void productionStartsWithRealSettings() {
		assertThatCode(() -> check(properties(true, false, "a long admin secret", "a-real-keystore-secret", false)))
			.doesNotThrowAnyException();
	}

	@Test
	void demoSettingsAreFineOutsideProduction() {
		assertThatCode(() -> check(properties(false, true, "admin", ProductionSafety.DEMO_KEYSTORE_PASSWORD, true)))
			.doesNotThrowAnyException();
	}

	@Test
	void anRaNodeNeedsNoCaPasswordButASignerDoes() {
		Settings demoKeyStore = properties(true, false, "a long admin secret", ProductionSafety.DEMO_KEYSTORE_PASSWORD,
				false);
		assertThatCode(() -> ProductionSafety.check(demoKeyStore.properties(), demoKeyStore.ca(), false, DIRECT))
			.as("an RA node never opens the key store")
			.doesNotThrowAnyException();
		assertThatIllegalStateException()
			.isThrownBy(() -> ProductionSafety.checkSigner(demoKeyStore.properties(), demoKeyStore.ca()))
			.withMessageContaining("certflow.ca.keystore-password");
		// A signer has no users, web or mail of its own: their demo settings are not its
		// concern.
		Settings demoRa = properties(true, true, "admin", "a-real-keystore-secret", true);
		assertThatCode(() -> ProductionSafety.checkSigner(demoRa.properties(),
				CertFlowPropertiesFixture.caValues("a-real-keystore-secret", "1.3.6.1.4.1.99999.7.1", null, null)))
			.doesNotThrowAnyException();
	}

	@Test
	void productionRefusesAPlainHttpAddressForApplicantsLinks() {
		Settings real = properties(true, false, "a long admin secret", "a-real-keystore-secret", false);
		CertFlowProperties plain = withPublicBaseUrl(real.properties(), "http://ra.example.org");
		assertThatIllegalStateException().isThrownBy(() -> ProductionSafety.check(plain, real.ca(), true, DIRECT))
			.withMessageContaining("certflow.public-base-url must be an https:// address")
			.withMessageContaining("certflow.behind-tls-proxy=true");
		// Behind a TLS proxy the links still go to the proxy's https address: a plain
		// link would carry the token in clear before any redirect.
		assertThatIllegalStateException()
			.isThrownBy(
					() -> ProductionSafety.check(plain, real.ca(), true, new ProductionSafety.PublicAccess(true, true)))
			.withMessageContaining("certflow.public-base-url must be an https:// address")
			.withMessageContaining("your TLS proxy's https address");
		CertFlowProperties demo = withPublicBaseUrl(
				properties(false, true, "admin", ProductionSafety.DEMO_KEYSTORE_PASSWORD, true).properties(),
				"http://localhost:8080");
		assertThatCode(() -> ProductionSafety.check(demo, real.ca(), true, DIRECT)).as("the embedded default")
			.doesNotThrowAnyException();
	}

	@Test
	void productionBehindATlsProxyReadsTheForwardedProtocol() {
		Settings real = properties(true, false, "a long admin secret", "a-real-keystore-secret", false);
		assertThatIllegalStateException()
			.isThrownBy(() -> ProductionSafety.check(real.properties(), real.ca(), false,
					new ProductionSafety.PublicAccess(true, false)))
			.withMessageContaining("server.forward-headers-strategy=native");
		assertThatCode(() -> ProductionSafety.check(real.properties(), real.ca(), false,
				new ProductionSafety.PublicAccess(true, true)))
			.doesNotThrowAnyException();
	}

	private static final ProductionSafety.PublicAccess DIRECT = new ProductionSafety.PublicAccess(false, false);

	private static void check(Settings settings) {
		ProductionSafety.check(settings.properties(), settings.ca(), true, DIRECT);
	}

	/**
	 * Production addresses are https; the embedded default's is http://localhost:8080.
	 */
	private static CertFlowProperties withPublicBaseUrl(CertFlowProperties p, String url) {
		return new CertFlowProperties(p.dataDir(), URI.create(url), p.production(), p.demoUsers(), p.admin(),
				p.invitation(), p.activation(), p.validation(), p.signer(), p.mail());
	}

	private record Settings(CertFlowProperties properties, CaSettings.Values ca) {
	}

	private static Settings properties(boolean production, boolean demoUsers, String adminPassword,
			String keystorePassword, boolean embeddedMail) {
		String policy = demoUsers ? ProductionSafety.EXAMPLE_POLICY_OID : "1.3.6.1.4.1.99999.7.1";
		CertFlowProperties properties = CertFlowPropertiesFixture.properties(Path.of("data"), production, demoUsers,
				adminPassword, embeddedMail);
		return new Settings(withPublicBaseUrl(properties, "https://ra.example.org"),
				CertFlowPropertiesFixture.caValues(keystorePassword, policy, null, null));
	}

}
