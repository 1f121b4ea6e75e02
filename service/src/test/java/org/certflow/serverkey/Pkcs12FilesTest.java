package org.certflow.serverkey;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs12FilesTest {

	private static final char[] PASSWORD = "tangerine orbit velvet quarry lantern".toCharArray();

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "EC-P256", "EC-P384", "RSA-2048" })
	void keytoolAndOpensslReadTheFileWithTheKeyMatchingTheCertificate(String token) throws Exception {
		SubjectKeys.Made made = SubjectKeys.make(token, "Ada Lovelace");
		X509CertificateHolder certificate = selfSigned(made);

		byte[] p12 = Pkcs12Files.build(made.privateKeyPkcs8(), List.of(certificate), PASSWORD, "CertFlow test");

		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(new ByteArrayInputStream(p12), PASSWORD);
		String alias = store.aliases().nextElement();
		assertThat(store.isKeyEntry(alias)).isTrue();
		assertThat(store.getKey(alias, PASSWORD).getEncoded()).isEqualTo(made.privateKeyPkcs8());
		assertThat(store.getCertificate(alias).getEncoded()).isEqualTo(certificate.getEncoded());

		if (!onPath("openssl")) {
			Assumptions.abort("openssl is not installed");
		}
		Path file = this.dir.resolve("key.p12");
		Files.write(file, p12);
		Process openssl = new ProcessBuilder("openssl", "pkcs12", "-in", file.toString(), "-info", "-nodes", "-passin",
				"pass:" + new String(PASSWORD))
			.redirectErrorStream(true)
			.start();
		String out = new String(openssl.getInputStream().readAllBytes());
		assertThat(openssl.waitFor()).as(out).isZero();
		assertThat(out).contains("PBKDF2", "AES-256-CBC", "sha256").contains("PRIVATE KEY").contains("CERTIFICATE");
	}

	@Test
	void refusesAKeyThatIsNotTheCertificates() throws Exception {
		SubjectKeys.Made made = SubjectKeys.make("EC-P256", "Ada Lovelace");
		SubjectKeys.Made other = SubjectKeys.make("EC-P256", "Ada Lovelace");
		X509CertificateHolder certificate = selfSigned(made);
		assertThatThrownBy(
				() -> Pkcs12Files.build(other.privateKeyPkcs8(), List.of(certificate), PASSWORD, "CertFlow test"))
			.hasMessageContaining("does not match");
	}

	@Test
	void choosesTheFirstKeyTypeTheServerMakesAmongTheClasssTypes() {
		assertThat(SubjectKeys.choose("RSA-2048,RSA-3072,EC-P256")).contains("EC-P256");
		assertThat(SubjectKeys.choose("RSA-4096, RSA-2048")).contains("RSA-2048");
		assertThat(SubjectKeys.choose("ED25519")).isEmpty();
	}

	private static X509CertificateHolder selfSigned(SubjectKeys.Made made) throws Exception {
		PKCS10CertificationRequest csr = new PKCS10CertificationRequest(made.csrDer());
		String algorithm = csr.getSubjectPublicKeyInfo()
			.getAlgorithm()
			.getAlgorithm()
			.getId()
			.equals("1.2.840.10045.2.1") ? "EC" : "RSA";
		PrivateKey key = KeyFactory.getInstance(algorithm)
			.generatePrivate(new PKCS8EncodedKeySpec(made.privateKeyPkcs8()));
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=Test"), BigInteger.TEN,
				Date.from(now), Date.from(now.plus(1, ChronoUnit.DAYS)), csr.getSubject(),
				csr.getSubjectPublicKeyInfo());
		return builder.build(
				new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(key));
	}

	private static boolean onPath(String command) {
		return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
			.anyMatch((d) -> Files.isExecutable(Path.of(d, command)));
	}

}
