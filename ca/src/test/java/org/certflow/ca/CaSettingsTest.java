package org.certflow.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaSettingsTest {

	@TempDir
	Path dir;

	@Test
	void defaultsGiveTheStandardProfileAndEllipticCurveKeys() {
		CaSettings s = TestSupport.settings(this.dir).build();
		assertThat(s.profiles()).containsOnlyKeys("standard");
		assertThat(s.profile("standard").orElseThrow().validity()).isEqualTo(Duration.ofDays(365));
		assertThat(s.rootKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.EC_P384);
		assertThat(s.issuingKeyAlgorithm()).isEqualTo(CaKeyAlgorithm.EC_P256);
		assertThat(s.rootSubject()).isEqualTo("C=DE,O=CertFlow,CN=CertFlow Demo Root CA");
		assertThat(s.caDirectory()).isEqualTo(this.dir.resolve("ca"));
		assertThat(s.rootCrlUrl()).isEmpty();
	}

	@Test
	void toStringNeverShowsThePassword() {
		assertThat(TestSupport.settings(this.dir).build().toString()).doesNotContain(new String(TestSupport.PASSWORD));
	}

	@Test
	void eachMissingOrWrongSettingIsNamed() {
		assertNamed((b) -> b.dataDir(null), "dataDir");
		assertNamed((b) -> b.keystorePassword(null), "keystorePassword");
		assertNamed((b) -> b.keystorePassword("short".toCharArray()), "keystorePassword");
		assertNamed((b) -> b.rootSubject("not a dn"), "rootSubject");
		assertNamed((b) -> b.issuingSubject("C=DE,O=CertFlow,CN=CertFlow Demo Root CA"), "issuingSubject");
		assertNamed((b) -> b.crlUrl(null), "crlUrl");
		assertNamed((b) -> b.rootCrlUrl("ftp://ca.example.test/root.crl"), "rootCrlUrl");
		assertNamed((b) -> b.rootCrlUrl("http://exa mple/root.crl"), "rootCrlUrl");
		assertNamed((b) -> b.ocspUrl("ftp://example.org/ocsp"), "ocspUrl");
		assertNamed((b) -> b.caIssuersUrl("relative/path"), "caIssuersUrl");
		assertNamed((b) -> b.certificatePolicyOid("2.5.29.32.0"), "certificatePolicyOid");
		assertNamed((b) -> b.certificatePolicyOid("not.an.oid"), "certificatePolicyOid");
		assertNamed((b) -> b.issuingValidity(Duration.ofDays(30000)), "issuingValidity");
		assertNamed((b) -> b.keyBlocklistFile(this.dir.resolve("missing.txt")), "keyBlocklistFile");
		assertNamed((b) -> b.keyStorage(CaSettings.KeyStorage.PKCS11), "pkcs11Config");
		assertNamed((b) -> b.profile(new IssuanceProfile("wide", Duration.ofDays(30),
				List.of(IssuanceProfile.ANY_EXTENDED_KEY_USAGE), false)), "profile(wide)");
		assertNamed((b) -> b.profile(
				new IssuanceProfile("long", Duration.ofDays(900), List.of(IssuanceProfile.EMAIL_PROTECTION), false)),
				"profile(long)");
	}

	@Test
	void aDataDirThatIsAFileIsRefused() throws Exception {
		Path file = Files.createFile(this.dir.resolve("file"));
		assertThatThrownBy(() -> TestSupport.settings(file).build()).isInstanceOf(CaConfigurationException.class)
			.hasMessageContaining("dataDir");
	}

	@Test
	void theCreatedKeyStoreOpensWithOpenssl3WithoutLegacy() throws Exception {
		CertificateAuthorities.openOrCreate(TestSupport.settings(this.dir).build(), new InMemoryIssuanceJournal());
		Path p12 = this.dir.resolve("ca").resolve("ca.p12");
		TestSupport.Result r = TestSupport.run(this.dir, "openssl", "pkcs12", "-in", p12.toString(), "-noout",
				"-passin", "pass:" + new String(TestSupport.PASSWORD));
		assertThat(r.exitCode()).as(r.output()).isZero();
		TestSupport.Result info = TestSupport.run(this.dir, "openssl", "pkcs12", "-in", p12.toString(), "-info",
				"-noout", "-passin", "pass:" + new String(TestSupport.PASSWORD));
		assertThat(info.output()).contains("AES-256-CBC").doesNotContain("RC2").doesNotContain("3DES");
	}

	private void assertNamed(UnaryOperator<CaSettings.Builder> change, String setting) {
		assertThatThrownBy(() -> change.apply(TestSupport.settings(this.dir)).build())
			.isInstanceOfSatisfying(CaConfigurationException.class, (e) -> assertThat(e.setting()).isEqualTo(setting))
			.hasMessageContaining(setting);
	}

}
