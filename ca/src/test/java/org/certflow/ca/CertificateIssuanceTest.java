package org.certflow.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateIssuanceTest {

	@TempDir
	static Path dataDir;

	static InMemoryIssuanceJournal journal;

	static CertificateAuthority ca;

	static KeyPair ecKey;

	@BeforeAll
	static void openCa() {
		journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir)
			.profile(IssuanceProfile.standard())
			.profile(TestSupport.SPONSORED)
			.build(), journal);
		ecKey = TestSupport.ecKey("secp256r1");
	}

	@AfterAll
	static void leaveForZlint() {
		ZlintInput.collect(journal, ca);
	}

	@Test
	void issuesCertificateForOpensslCsrThatThePkixValidatorAccepts() throws Exception {
		Path work = Files.createTempDirectory(dataDir, "openssl");
		TestSupport.Result r = TestSupport.run(work, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes",
				"-keyout", "key.pem", "-out", "csr.pem", "-subj", "/CN=Alice Example/emailAddress=alice@example.org");
		assertThat(r.exitCode()).as(r.output()).isZero();
		byte[] der = CsrInspector.decodePem(Files.readString(work.resolve("csr.pem")));

		IssuedCertificate issued = ca.issue(new IssuanceRequest("req-openssl", der, "sponsored",
				new SubjectData("Alice Example", "alice@example.org", "Example Org", "DE")));

		X509Certificate cert = issued.certificate();
		ExternalToolsTest.validateEverywhere(issued, dataDir);
		assertThat(issued.chain()).hasSize(3);
		assertThat(issued.chain().get(0)).isEqualTo(cert);
		assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Alice Example,O=Example Org,C=DE");
		assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(1, "alice@example.org"));
		assertThat(cert.getExtendedKeyUsage()).containsExactly(IssuanceProfile.EMAIL_PROTECTION,
				IssuanceProfile.CLIENT_AUTH);
		assertThat(cert.getBasicConstraints()).isEqualTo(-1);
		boolean[] ku = cert.getKeyUsage();
		assertThat(ku[0]).as("digitalSignature").isTrue();
		assertThat(ku[2]).as("keyEncipherment").isTrue();
		assertThat(ku[5]).as("keyCertSign").isFalse();
		assertThat(cert.getSerialNumber().signum()).isPositive();
		assertThat(cert.getSerialNumber().toByteArray().length).isLessThanOrEqualTo(20);
		assertThat(issued.serialHex()).isEqualTo(cert.getSerialNumber().toString(16));
		assertThat(cert.getNotAfter()).isBeforeOrEqualTo(ca.caChain().get(0).getNotAfter());
		assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(Extension.basicConstraints.getId(),
				Extension.keyUsage.getId());
	}

	@Test
	void ecKeysGetDigitalSignatureAndKeyAgreement() throws Exception {
		IssuedCertificate issued = ca.issue(new IssuanceRequest("req-ec", TestSupport.csr(ecKey), "standard",
				SubjectData.of("Bob Example", "bob@example.org")));
		X509CertificateHolder holder = new X509CertificateHolder(issued.certificate().getEncoded());
		assertThat(KeyUsage.fromExtensions(holder.getExtensions()))
			.isEqualTo(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
		ExternalToolsTest.validateEverywhere(issued, dataDir);
	}

	@Test
	void ed25519KeysGetDigitalSignatureOnly() throws Exception {
		IssuedCertificate issued = ca.issue(new IssuanceRequest("req-ed", TestSupport.csr(TestSupport.ed25519Key()),
				"standard", SubjectData.of("Erin Example", "erin@example.org")));
		X509CertificateHolder holder = new X509CertificateHolder(issued.certificate().getEncoded());
		assertThat(KeyUsage.fromExtensions(holder.getExtensions())).isEqualTo(new KeyUsage(KeyUsage.digitalSignature));
		ExternalToolsTest.validateEverywhere(issued, dataDir);
	}

	/**
	 * RFC 5280 section 4.2.1.2 method 1, worked out here with the JDK so the check does
	 * not share code with the CA, for the leaf and both CA certificates.
	 */
	@Test
	void keyIdentifiersAreTheSha1OfTheKeyBitsDownTheChain() throws Exception {
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("req-key-ids", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Dana Example", "dana@example.org")));
		List<X509Certificate> chain = issued.chain();
		for (int i = 0; i < chain.size(); i++) {
			X509CertificateHolder cert = new X509CertificateHolder(chain.get(i).getEncoded());
			X509CertificateHolder issuer = new X509CertificateHolder(
					chain.get(Math.min(i + 1, chain.size() - 1)).getEncoded());
			assertThat(SubjectKeyIdentifier.fromExtensions(cert.getExtensions()).getKeyIdentifier())
				.as("subject key identifier of %s", cert.getSubject())
				.isEqualTo(sha1OfKeyBits(cert));
			assertThat(AuthorityKeyIdentifier.fromExtensions(cert.getExtensions()).getKeyIdentifierOctets())
				.as("authority key identifier of %s", cert.getSubject())
				.isEqualTo(sha1OfKeyBits(issuer));
		}
	}

	private static byte[] sha1OfKeyBits(X509CertificateHolder cert) throws Exception {
		return MessageDigest.getInstance("SHA-1").digest(cert.getSubjectPublicKeyInfo().getPublicKeyData().getOctets());
	}

	@Test
	void repeatedRequestReturnsTheSameCertificateAndSignsNothing() {
		KeyPair key = TestSupport.ecKey("secp384r1");
		IssuanceRequest request = new IssuanceRequest("req-repeat", TestSupport.csr(key), "standard",
				SubjectData.of("Carol Example", "carol@example.org"));
		IssuedCertificate first = ca.issue(request);
		int reservations = journal.reservations().size();

		IssuedCertificate second = ca.issue(request);

		assertThat(second.certificate()).isEqualTo(first.certificate());
		assertThat(journal.reservations()).hasSize(reservations);
	}

	@Test
	void reservesTheSerialWithTheHashOfTheSignedTbs() throws Exception {
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("req-tbs", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Dan Example", "dan@example.org")));
		IssuanceJournal.SerialReservation reservation = journal.reservations()
			.stream()
			.filter((r) -> r.serial().equals(issued.serial()))
			.findFirst()
			.orElseThrow();
		assertThat(reservation.tbsSha256()).isEqualTo(CsrInspector.sha256(issued.certificate().getTBSCertificate()));
		assertThat(reservation.requestId()).isEqualTo("req-tbs");
	}

	@Test
	void neverCopiesExtensionsRequestedInTheCsr() throws Exception {
		org.bouncycastle.asn1.x509.ExtensionsGenerator requested = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
		requested.addExtension(Extension.subjectAlternativeName, false,
				new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
						org.bouncycastle.asn1.x509.GeneralName.rfc822Name, "frank@example.org")));
		requested.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7"), false,
				new org.bouncycastle.asn1.DEROctetString(new byte[] { 1, 2, 3 }));
		requested.addExtension(Extension.subjectDirectoryAttributes, false, new org.bouncycastle.asn1.DERSequence());
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("req-ext", TestSupport.csr(TestSupport.ecKey("secp256r1"), requested.generate()),
					"standard", SubjectData.of("Frank Example", "frank@example.org")));
		assertThat(issued.certificate().getNonCriticalExtensionOIDs()).doesNotContain("1.3.6.1.4.1.99999.7",
				Extension.subjectDirectoryAttributes.getId());
		assertThat(issued.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Frank Example");
	}

	@Test
	void unknownProfileIsRefused() {
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("req-unknown", TestSupport.csr(ecKey), "gold",
				SubjectData.of("Eve", "eve@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.UNKNOWN_PROFILE));
	}

	@Test
	void reopeningLoadsTheSameHierarchy() {
		CertificateAuthority again = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(),
				new InMemoryIssuanceJournal());
		assertThat(again.caChain()).isEqualTo(ca.caChain());
	}

	@Test
	void wrongKeystorePasswordFailsNamingTheSetting() {
		CaSettings wrong = TestSupport.settings(dataDir).keystorePassword("not the password".toCharArray()).build();
		assertThatThrownBy(() -> CertificateAuthorities.openOrCreate(wrong, new InMemoryIssuanceJournal()))
			.isInstanceOfSatisfying(CaConfigurationException.class,
					(e) -> assertThat(e.setting()).isEqualTo("keystorePassword"))
			.hasMessageContaining("wrong password");
	}

}
