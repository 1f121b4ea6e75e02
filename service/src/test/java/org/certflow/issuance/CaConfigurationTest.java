package org.certflow.issuance;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code certflow.ca.*} binds straight into the CA's own settings: every setting is
 * reachable from configuration, and a wrong one stops start-up naming the property.
 */
class CaConfigurationTest {

	@TempDir
	Path dataDir;

	@Test
	void everyCaSettingIsReachableFromProperties() throws IOException {
		Path blocklist = this.dataDir.resolve("blocklist.txt");
		java.nio.file.Files.writeString(blocklist, "");
		Map<String, Object> ca = required();
		ca.put("root-crl-url", "http://ca.example/root.crl");
		ca.put("key-storage", "pkcs12");
		ca.put("key-blocklist-file", blocklist.toString());
		ca.put("root-subject", "CN=Example Root,O=Example,C=DE");
		ca.put("issuing-subject", "CN=Example Issuing,O=Example,C=DE");
		ca.put("root-key-algorithm", "rsa-3072");
		ca.put("issuing-key-algorithm", "ec-p384");
		ca.put("root-validity", "P3650D");
		ca.put("issuing-validity", "1825d");
		ca.put("crl-validity", "36h");
		ca.put("ocsp-validity", "PT12H");
		ca.put("pkcs11-issuing-alias", "issuing-2026");
		ca.put("profiles.short.validity", "P30D");
		ca.put("profiles.short.extended-key-usages", "1.3.6.1.5.5.7.3.4");
		ca.put("profiles.short.allow-ed25519", "false");
		ca.put("profiles.sponsored.validity", "P30D");
		ca.put("profiles.sponsored.extended-key-usages", "1.3.6.1.5.5.7.3.4");
		ca.put("profiles.sponsored.smime-validation", "sponsor");

		CaSettings settings = caSettings(ca);

		assertThat(settings.keystorePassword()).isEqualTo("a-keystore-secret".toCharArray());
		assertThat(settings.crlUrl()).isEqualTo("http://ca.example/crl");
		assertThat(settings.rootCrlUrl()).hasValue("http://ca.example/root.crl");
		assertThat(settings.ocspUrl()).isEqualTo("http://ca.example/ocsp");
		assertThat(settings.caIssuersUrl()).isEqualTo("http://ca.example/issuing.cer");
		assertThat(settings.certificatePolicyOid()).isEqualTo("1.3.6.1.4.1.99999.1");
		assertThat(settings.keyStorage()).isEqualTo(CaSettings.KeyStorage.PKCS12);
		assertThat(settings.keyBlocklistFile()).hasValue(blocklist);
		assertThat(settings.rootSubject()).isEqualTo("CN=Example Root,O=Example,C=DE");
		assertThat(settings.issuingSubject()).isEqualTo("CN=Example Issuing,O=Example,C=DE");
		assertThat(settings.rootKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.RSA_3072);
		assertThat(settings.issuingKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.EC_P384);
		assertThat(settings.rootValidity()).isEqualTo(Duration.ofDays(3650));
		assertThat(settings.issuingValidity()).isEqualTo(Duration.ofDays(1825));
		assertThat(settings.crlValidity()).isEqualTo(Duration.ofHours(36));
		assertThat(settings.ocspValidity()).isEqualTo(Duration.ofHours(12));
		assertThat(settings.pkcs11IssuingAlias()).isEqualTo("issuing-2026");
		assertThat(settings.dataDir()).isEqualTo(this.dataDir);
		assertThat(settings.profiles()).containsOnlyKeys("short", "sponsored");
		assertThat(settings.profile("short")).hasValueSatisfying((profile) -> {
			assertThat(profile.validity()).isEqualTo(Duration.ofDays(30));
			assertThat(profile.extendedKeyUsages()).containsExactly("1.3.6.1.5.5.7.3.4");
			assertThat(profile.allowEd25519()).isFalse();
			assertThat(profile.smimePolicyOid()).as("individual-validated strict by default")
				.contains("2.23.140.1.5.4.3");
		});
		assertThat(settings.profile("sponsored").orElseThrow().smimePolicyOid()).contains("2.23.140.1.5.3.3");
	}

	@Test
	void pkcs11SettingsAreReachableToo() throws IOException {
		Path config = java.nio.file.Files.writeString(this.dataDir.resolve("pkcs11.cfg"), "name = token\n");
		Map<String, Object> ca = required();
		ca.put("key-storage", "PKCS11");
		ca.put("pkcs11-config", config.toString());

		CaSettings settings = caSettings(ca);

		assertThat(settings.keyStorage()).isEqualTo(CaSettings.KeyStorage.PKCS11);
		assertThat(settings.pkcs11Config()).hasValue(config);
	}

	@Test
	void unsetSettingsKeepTheCaDefaults() {
		CaSettings settings = caSettings(required());
		CaSettings defaults = CaSettings.builder()
			.dataDir(this.dataDir)
			.keystorePassword("a-keystore-secret".toCharArray())
			.crlUrl("http://ca.example/crl")
			.ocspUrl("http://ca.example/ocsp")
			.caIssuersUrl("http://ca.example/issuing.cer")
			.certificatePolicyOid("1.3.6.1.4.1.99999.1")
			.build();

		assertThat(settings.rootValidity()).isEqualTo(defaults.rootValidity());
		assertThat(settings.issuingValidity()).isEqualTo(defaults.issuingValidity());
		assertThat(settings.crlValidity()).isEqualTo(defaults.crlValidity());
		assertThat(settings.ocspValidity()).isEqualTo(defaults.ocspValidity());
		assertThat(settings.rootKeyAlgorithm()).isEqualTo(defaults.rootKeyAlgorithm());
		assertThat(settings.profiles()).isEqualTo(defaults.profiles());
		assertThat(settings.rootCrlUrl()).isEmpty();
	}

	@Test
	void theShippedApplicationYmlBinds() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
			.forEach(environment.getPropertySources()::addLast);
		CaConfiguration configuration = new CaConfiguration();

		CaSettings settings = configuration.caSettings(properties(), configuration.caSettingsValues(environment));

		assertThat(settings.keyStorage()).isEqualTo(CaSettings.KeyStorage.PKCS12);
		assertThat(settings.profiles()).containsKey("standard");
		assertThat(settings.ocspUrl()).endsWith("/ocsp");
	}

	@Test
	void aWrongSettingStopsStartUpNamingIt() {
		assertWrong(Map.of("root-validity", "-P1D"), "certflow.ca.root-validity", "must be positive");
		assertWrong(Map.of("ocsp-validity", "0s"), "certflow.ca.ocsp-validity", "must be positive");
		assertWrong(Map.of("crl-validity", "-1h"), "certflow.ca.crl-validity", "must be positive");
		assertWrong(Map.of("root-validity", "P365D", "issuing-validity", "P730D"), "certflow.ca.issuing-validity",
				"must not exceed rootValidity");
		assertWrong(Map.of("key-storage", "pkcs11"), "certflow.ca.pkcs11-config", "is missing");
		assertWrong(Map.of("policy-oid", "2.5.29.32.0"), "certflow.ca.policy-oid", "not a specific policy OID");
		assertWrong(Map.of("ocsp-url", "ftp://ca.example/ocsp"), "certflow.ca.ocsp-url", "http(s)");
		assertWrong(Map.of("keystore-password", "short"), "certflow.ca.keystore-password", "8 characters");
		assertWrong(Map.of("profiles.short.validity", "P900D", "profiles.short.extended-key-usages", "1.2.3"),
				"certflow.ca.profiles.short", "825 days");
		assertWrong(Map.of("profiles.short.allow-ed25519", "true"), "certflow.ca.profiles.short", "needs a validity");
	}

	@Test
	void aValueOfTheWrongTypeStopsStartUpNamingIt() {
		Map<String, Object> ca = required();
		ca.put("crl-validity", "a week");

		assertThatExceptionOfType(BindException.class).isThrownBy(() -> caSettings(ca))
			.withMessageContaining("certflow.ca.crl-validity");
	}

	@Test
	void missingRequiredSettingsAreNamed() {
		Map<String, Object> ca = required();
		ca.remove("crl-url");

		assertThatIllegalStateException().isThrownBy(() -> caSettings(ca))
			.withMessage("CA setting certflow.ca.crl-url is wrong: is missing");
	}

	private void assertWrong(Map<String, Object> overrides, String property, String problem) {
		Map<String, Object> ca = required();
		ca.putAll(overrides);
		assertThatIllegalStateException().as(property)
			.isThrownBy(() -> caSettings(ca))
			.withMessageStartingWith("CA setting " + property + " is wrong: ")
			.withMessageContaining(problem);
	}

	private static Map<String, Object> required() {
		Map<String, Object> ca = new LinkedHashMap<>();
		ca.put("keystore-password", "a-keystore-secret");
		ca.put("crl-url", "http://ca.example/crl");
		ca.put("ocsp-url", "http://ca.example/ocsp");
		ca.put("ca-issuers-url", "http://ca.example/issuing.cer");
		ca.put("policy-oid", "1.3.6.1.4.1.99999.1");
		return ca;
	}

	private CaSettings caSettings(Map<String, Object> ca) {
		Map<String, Object> source = new LinkedHashMap<>();
		ca.forEach((key, value) -> source.put("certflow.ca." + key, value));
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", source));
		CaConfiguration configuration = new CaConfiguration();
		return configuration.caSettings(properties(), configuration.caSettingsValues(environment));
	}

	private CertFlowProperties properties() {
		return CertFlowPropertiesFixture.properties(this.dataDir, false, false, "admin", true);
	}

}
