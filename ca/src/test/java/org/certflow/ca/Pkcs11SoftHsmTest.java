package org.certflow.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issuing key lives in a SoftHSM2 token and is used through SunPKCS11 only. Runs when
 * {@code certflow.it.softhsm=true}, which the ca/pom.xml sets whenever {@code CI=true};
 * it needs the Debian package softhsm2 and fails (rather than skips) when it is missing.
 * The surefire configuration points {@code SOFTHSM2_CONF} at a file under target/, which
 * this test writes.
 */
@EnabledIfSystemProperty(named = "certflow.it.softhsm", matches = "true")
class Pkcs11SoftHsmTest {

	static final String PIN = "123456";

	static final String ALIAS = "certflow-issuing";

	static Path work;

	static Path pkcs11Config;

	static X509Certificate issuingCertificate;

	static Provider operatorProvider;

	@BeforeAll
	static void initialiseTokenAsAnOperatorWould() throws Exception {
		String conf = System.getenv("SOFTHSM2_CONF");
		assertThat(conf).as("SOFTHSM2_CONF must be set by the surefire configuration").isNotBlank();
		Path confFile = Path.of(conf);
		work = Files.createDirectories(confFile.getParent());
		Path tokens = work.resolve("tokens-" + System.nanoTime());
		Files.createDirectories(tokens);
		Files.writeString(confFile,
				"directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
		TestSupport.Result init = TestSupport.run(work, "softhsm2-util", "--init-token", "--free", "--label",
				"certflow-test", "--pin", PIN, "--so-pin", "12345678");
		assertThat(init.exitCode()).as(init.output()).isZero();
		Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(init.output());
		assertThat(slot.find()).as(init.output()).isTrue();
		pkcs11Config = TestSupport.write(work.resolve("pkcs11.cfg"),
				String.join("\n", "name = CertFlowSoftHsm", "library = " + library(), "slot = " + slot.group(1),
						"attributes(generate, CKO_PRIVATE_KEY, *) = {", "  CKA_SENSITIVE = true",
						"  CKA_EXTRACTABLE = false", "}", ""));

		Provider p11 = Security.getProvider("SunPKCS11").configure(pkcs11Config.toString());
		operatorProvider = p11;
		KeyStore token = KeyStore.getInstance("PKCS11", p11);
		token.load(null, PIN.toCharArray());
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", p11);
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair issuingKeys = generator.generateKeyPair();

		// The root stays offline in a real deployment; here it only signs the issuing
		// certificate.
		KeyPair rootKeys = TestSupport.ecKey("secp384r1");
		CaSettings settings = TestSupport.settings(work).build();
		Instant now = Instant.now().minus(Duration.ofHours(1));
		X500Name rootName = new X500Name("CN=SoftHSM Test Root,O=CertFlow");
		X509Certificate root = CaCertificates.caCertificate(rootName, rootKeys.getPublic(), rootName,
				rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now, now.plus(Duration.ofDays(3650)), true,
				settings, new java.security.SecureRandom());
		issuingCertificate = CaCertificates.caCertificate(new X500Name("CN=SoftHSM Test Issuing,O=CertFlow"),
				issuingKeys.getPublic(), rootName, rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now,
				now.plus(Duration.ofDays(1825)), false, settings, new java.security.SecureRandom());
		token.setKeyEntry(ALIAS, issuingKeys.getPrivate(), null, new Certificate[] { issuingCertificate, root });
	}

	static String library() {
		for (String candidate : new String[] { "/usr/lib/softhsm/libsofthsm2.so",
				"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
				"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so" }) {
			if (Files.exists(Path.of(candidate))) {
				return candidate;
			}
		}
		throw new IllegalStateException("libsofthsm2.so not found; install the Debian package softhsm2");
	}

	static CaSettings.Builder pkcs11Settings() {
		return TestSupport.settings(work)
			.keyStorage(CaSettings.KeyStorage.PKCS11)
			.pkcs11Config(pkcs11Config)
			.keystorePassword(PIN.toCharArray())
			.pkcs11IssuingAlias(ALIAS);
	}

	@Test
	void issuesWithTheTokenKeyWhichNeverLeavesTheToken() throws Exception {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(pkcs11Settings().build(), journal,
				journal);

		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("hsm-1", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Hanna Hsm", "hanna@example.org")));

		assertThat(ca.caChain().get(0)).isEqualTo(issuingCertificate);
		ExternalToolsTest.validateEverywhere(issued, work);
		issued.certificate().verify(issuingCertificate.getPublicKey());
		ca.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE);
		assertThat(ca.produceCrl().der()).isNotEmpty();

		CaKeys keys = ((ManagedAuthority) ca).issuing().keys();
		PrivateKey key = keys.issuingKey();
		assertThat(keys.signingProvider().getName()).startsWith("SunPKCS11");
		assertThat(key.getEncoded()).as("a sensitive token key has no encoding").isNull();
		assertThat(work.resolve("ca")).as("no key file is written for PKCS#11 storage").doesNotExist();
	}

	@Test
	void wrongPinFailsStartUpNamingTheSetting() throws Exception {
		// PKCS#11 login state is per process: log out first, or a wrong PIN would never
		// be asked for.
		((java.security.AuthProvider) operatorProvider).logout();
		assertThatThrownBy(() -> CertificateAuthorities.openOrCreate(
				pkcs11Settings().keystorePassword("654321".toCharArray()).build(), new InMemoryIssuanceJournal()))
			.isInstanceOfSatisfying(CaConfigurationException.class,
					(e) -> assertThat(e.setting()).isEqualTo("keystorePassword"));
	}

	@Test
	void missingAliasFailsStartUpNamingTheSetting() {
		assertThatThrownBy(() -> CertificateAuthorities
			.openOrCreate(pkcs11Settings().pkcs11IssuingAlias("nope").build(), new InMemoryIssuanceJournal()))
			.isInstanceOfSatisfying(CaConfigurationException.class,
					(e) -> assertThat(e.setting()).isEqualTo("pkcs11IssuingAlias"));
	}

}
