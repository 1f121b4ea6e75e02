package org.certflow.issuance;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CaSettings;
import org.certflow.ca.IssuanceProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CaConfigurationTest {

	@TempDir
	Path dataDir;

	@Test
	void passesEveryCaSettingOn() {
		CaSettings settings = new CaConfiguration().caSettings(properties(new CertFlowProperties.Ca("a-keystore-secret",
				URI.create("http://ca.example/crl"), URI.create("http://ca.example/root.crl"),
				URI.create("http://ca.example/ocsp"), URI.create("http://ca.example/issuing.cer"),
				"1.3.6.1.4.1.99999.1", CaSettings.KeyStorage.PKCS12, null, null, null, "CN=Example Root,O=Example",
				"CN=Example Issuing,O=Example", CaKeyAlgorithm.RSA_3072, CaKeyAlgorithm.EC_P384,
				Map.of("short",
						new CertFlowProperties.Ca.Profile(Duration.ofDays(30), List.of("1.3.6.1.5.5.7.3.4"), false,
								null),
						"sponsored", new CertFlowProperties.Ca.Profile(Duration.ofDays(30),
								List.of("1.3.6.1.5.5.7.3.4"), false, IssuanceProfile.SmimeValidation.SPONSOR)))));

		assertThat(settings.rootSubject()).isEqualTo("CN=Example Root,O=Example");
		assertThat(settings.rootKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.RSA_3072);
		assertThat(settings.issuingKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.EC_P384);
		assertThat(settings.profile("short")).hasValueSatisfying((profile) -> {
			assertThat(profile.validity()).isEqualTo(Duration.ofDays(30));
			assertThat(profile.allowEd25519()).isFalse();
			assertThat(profile.smimePolicyOid()).contains("2.23.140.1.5.4.3");
		});
		assertThat(settings.profile("sponsored").orElseThrow().smimePolicyOid()).contains("2.23.140.1.5.3.3");
		assertThat(settings.ocspUrl()).isEqualTo("http://ca.example/ocsp");
	}

	@Test
	void aWrongSettingStopsStartUpNamingIt() {
		CertFlowProperties pkcs11WithoutConfig = properties(new CertFlowProperties.Ca("a-token-pin",
				URI.create("http://ca.example/crl"), URI.create("http://ca.example/root.crl"),
				URI.create("http://ca.example/ocsp"), URI.create("http://ca.example/issuing.cer"),
				"1.3.6.1.4.1.99999.1", CaSettings.KeyStorage.PKCS11, null, null, null, null, null, null, null, null));

		assertThatIllegalStateException().isThrownBy(() -> new CaConfiguration().caSettings(pkcs11WithoutConfig))
			.withMessageContaining("certflow.ca settings are wrong")
			.withMessageContaining("pkcs11Config");
	}

	private CertFlowProperties properties(CertFlowProperties.Ca ca) {
		return CertFlowPropertiesFixture.properties(this.dataDir, false, false, "admin", true, ca);
	}

}
