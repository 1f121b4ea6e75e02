package org.certflow.ca;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The root's CRL (ARL), signed here or supplied by an operator for an offline root. */
class RootCrlTest {

	static final String ROOT_CRL_URL = "http://ca.example.test/ca/root.crl";

	@TempDir
	Path dir;

	@Test
	void rootCrlIsAnEmptyFullCrlSignedByTheRoot() throws Exception {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir).rootCrlUrl(ROOT_CRL_URL).build(), journal, journal);
		X509Certificate root = ca.caChain().get(1);

		X509CRL crl = crl(ca.produceRootCrl().der());

		crl.verify(root.getPublicKey());
		assertThat(crl.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
		assertThat(crl.getRevokedCertificates()).isNull();
		assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
		assertThat(Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()))
			.isEqualTo(Duration.ofDays(7));
		byte[] aki = ASN1OctetString.getInstance(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
			.getOctets();
		byte[] ski = ASN1OctetString.getInstance(root.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
			.getOctets();
		assertThat(AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifier())
			.isEqualTo(SubjectKeyIdentifier.getInstance(ski).getKeyIdentifier());
		assertThat(crlNumber(crl)).isNotNull();
	}

	@Test
	void everyRootCrlHasTheNextRootNumberOnASequenceOfItsOwn() throws Exception {
		MutableClock clock = new MutableClock(Instant.now());
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		ManagedAuthority ca = CertificateAuthorities.managed(TestSupport.settings(this.dir).build(), journal, journal,
				clock);
		X509Certificate root = ca.caChain().get(1);
		SignedCrl first = ca.produceRootCrl();
		BigInteger issuingFirst = ca.produceCrl().number();

		clock.advance(Duration.ofDays(4));
		SignedCrl second = ca.produceRootCrl();
		X509CRL secondCrl = crl(second.der());

		secondCrl.verify(root.getPublicKey());
		assertThat(crlNumber(crl(first.der()))).isEqualTo(first.number());
		assertThat(crlNumber(secondCrl)).isEqualTo(second.number()).isGreaterThan(first.number());
		assertThat(second.thisUpdate()).isAfter(first.thisUpdate());
		assertThat(secondCrl.getThisUpdate().toInstant()).isEqualTo(second.thisUpdate());
		assertThat(secondCrl.getNextUpdate().toInstant()).isEqualTo(second.nextUpdate());
		assertThat(secondCrl.getRevokedCertificates()).isNull();
		// Each issuer has its own sequence: the root's CRLs did not consume issuing
		// numbers.
		assertThat(ca.produceCrl().number()).isEqualTo(issuingFirst.add(BigInteger.ONE));
	}

	@Test
	void issuingCaCertificateNamesTheRootCrlOnlyWhenConfigured() throws Exception {
		X509Certificate with = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir.resolve("with")).rootCrlUrl(ROOT_CRL_URL).build(),
					new InMemoryIssuanceJournal())
			.caChain()
			.get(0);
		X509Certificate without = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir.resolve("without")).build(), new InMemoryIssuanceJournal())
			.caChain()
			.get(0);

		DistributionPoint[] points = CRLDistPoint
			.getInstance(ASN1OctetString.getInstance(with.getExtensionValue(Extension.cRLDistributionPoints.getId()))
				.getOctets())
			.getDistributionPoints();
		assertThat(points).hasSize(1);
		assertThat(points[0].getReasons()).isNull();
		assertThat(points[0].getCRLIssuer()).isNull();
		GeneralName[] names = GeneralNames.getInstance(points[0].getDistributionPoint().getName()).getNames();
		assertThat(names).containsExactly(new GeneralName(GeneralName.uniformResourceIdentifier, ROOT_CRL_URL));
		assertThat(with.getCriticalExtensionOIDs()).doesNotContain(Extension.cRLDistributionPoints.getId());
		assertThat(without.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
	}

	@Test
	void anExistingHierarchyKeepsItsIssuingCaCertificate() {
		X509Certificate created = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir).build(), new InMemoryIssuanceJournal())
			.caChain()
			.get(0);
		X509Certificate reopened = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir).rootCrlUrl(ROOT_CRL_URL).build(),
					new InMemoryIssuanceJournal())
			.caChain()
			.get(0);

		assertThat(reopened).isEqualTo(created);
		assertThat(reopened.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
	}

	@Test
	void certificatesUnderAnIssuingCaWithRootCrlDistributionPointPassEveryValidator() throws Exception {
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(
				TestSupport.settings(this.dir.resolve("data")).rootCrlUrl(ROOT_CRL_URL).build(),
				new InMemoryIssuanceJournal());
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("arl-1", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Anna Arl", "anna@example.org")));

		ExternalToolsTest.validateEverywhere(issued, this.dir);
	}

	@Test
	void opensslChecksBothCrlsAlongTheChain() throws Exception {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(
				TestSupport.settings(this.dir.resolve("data")).rootCrlUrl(ROOT_CRL_URL).build(), journal, journal);
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("arl-2", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Otto Openssl", "otto@example.org")));
		Path leaf = TestSupport.write(this.dir.resolve("leaf.pem"), ExternalToolsTest.pem(issued.certificate()));
		Path issuing = TestSupport.write(this.dir.resolve("issuing.pem"), ExternalToolsTest.pem(ca.caChain().get(0)));
		Path root = TestSupport.write(this.dir.resolve("root.pem"), ExternalToolsTest.pem(ca.caChain().get(1)));
		Path rootCrl = TestSupport.write(this.dir.resolve("root.crl"),
				TestSupport.pem("X509 CRL", ca.produceRootCrl().der()));

		TestSupport.Result good = verifyWithCrls(leaf, issuing, root, ca.produceCrl().der(), rootCrl);
		assertThat(good.exitCode()).as(good.output()).isZero();
		assertThat(good.output()).contains(leaf + ": OK");

		ca.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE);

		TestSupport.Result revoked = verifyWithCrls(leaf, issuing, root, ca.produceCrl().der(), rootCrl);
		assertThat(revoked.exitCode()).as(revoked.output()).isNotZero();
		assertThat(revoked.output()).contains("certificate revoked");
	}

	private TestSupport.Result verifyWithCrls(Path leaf, Path issuing, Path root, byte[] issuingCrl, Path rootCrl)
			throws Exception {
		Path crl = TestSupport.write(this.dir.resolve("issuing.crl"), TestSupport.pem("X509 CRL", issuingCrl));
		return TestSupport.run(this.dir, "openssl", "verify", "-crl_check_all", "-CRLfile", crl.toString(), "-CRLfile",
				rootCrl.toString(), "-CAfile", root.toString(), "-untrusted", issuing.toString(), leaf.toString());
	}

	@Test
	void withoutTheRootKeyTheOperatorsRootCrlIsServed() throws Exception {
		KeyPair rootKeys = importHierarchyWithoutRootKey();
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(TestSupport.settings(this.dir).build(),
				journal, journal);
		Path file = this.dir.resolve("ca").resolve("root.crl");

		assertThatThrownBy(ca::produceRootCrl).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("offline")
			.hasMessageContaining(file.toString());

		byte[] operatorCrl = signedCrl(ca.caChain().get(1), rootKeys);
		Files.write(file, operatorCrl);

		SignedCrl served = ca.produceRootCrl();
		assertThat(served.der()).isEqualTo(operatorCrl);
		assertThat(served.number()).isEqualTo(crlNumber(crl(operatorCrl)));
		assertThat(served.thisUpdate()).isEqualTo(crl(operatorCrl).getThisUpdate().toInstant());
		assertThat(ca.produceRootCrl().der()).isEqualTo(operatorCrl);
	}

	@Test
	void aTamperedRootCrlIsRefused() throws Exception {
		KeyPair rootKeys = importHierarchyWithoutRootKey();
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(TestSupport.settings(this.dir).build(),
				journal, journal);
		Path file = this.dir.resolve("ca").resolve("root.crl");
		byte[] good = signedCrl(ca.caChain().get(1), rootKeys);
		Files.write(file, good);
		assertThat(ca.produceRootCrl().der()).isEqualTo(good);

		byte[] tampered = good.clone();
		tampered[tampered.length - 1] ^= 0x01;
		Files.write(file, tampered);

		assertThatThrownBy(ca::produceRootCrl).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("not a DER CRL signed by the root CA");

		Files.write(file, signedCrl(ca.caChain().get(1), TestSupport.ecKey("secp384r1")));
		assertThatThrownBy(ca::produceRootCrl).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("not a DER CRL signed by the root CA");

		Files.write(file, "not a CRL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		assertThatThrownBy(ca::produceRootCrl).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("not a DER CRL signed by the root CA");
	}

	/**
	 * Writes the PKCS#12 an operator imports: the issuing key with its chain, and no root
	 * key.
	 * @return the root's keys, which stay with the test as they would stay offline
	 */
	private KeyPair importHierarchyWithoutRootKey() throws Exception {
		CaSettings settings = TestSupport.settings(this.dir).build();
		SecureRandom random = new SecureRandom();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
		X500Name rootName = new X500Name("CN=Offline Root CA,O=Imported");
		KeyPair rootKeys = CaCertificates.generateKeyPair(CaKeyAlgorithm.EC_P384, Bc.PROVIDER, random);
		KeyPair issuingKeys = CaCertificates.generateKeyPair(CaKeyAlgorithm.EC_P256, Bc.PROVIDER, random);
		X509Certificate root = CaCertificates.caCertificate(rootName, rootKeys.getPublic(), rootName,
				rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now, now.plus(Duration.ofDays(3650)), true,
				settings, random);
		X509Certificate issuing = CaCertificates.caCertificate(new X500Name("CN=Imported Issuing CA,O=Imported"),
				issuingKeys.getPublic(), rootName, rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now,
				now.plus(Duration.ofDays(1825)), false, settings, random);
		KeyStore ks = KeyStore.getInstance("PKCS12");
		ks.load(null, null);
		ks.setKeyEntry(CaKeyStore.ISSUING_ALIAS, issuingKeys.getPrivate(), TestSupport.PASSWORD,
				new Certificate[] { issuing, root });
		Path file = Files.createDirectories(this.dir.resolve("ca")).resolve(CaKeyStore.KEYSTORE_FILE);
		try (OutputStream out = Files.newOutputStream(file)) {
			ks.store(out, TestSupport.PASSWORD);
		}
		return rootKeys;
	}

	private static byte[] signedCrl(X509Certificate root, KeyPair signer) throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
				Date.from(now));
		b.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
		b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(42)));
		return b
			.build(new JcaContentSignerBuilder(CaKeyAlgorithm.signatureAlgorithmFor(signer.getPublic()))
				.setProvider(Bc.PROVIDER)
				.build(signer.getPrivate()))
			.getEncoded();
	}

	static X509CRL crl(byte[] der) throws Exception {
		return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
	}

	static BigInteger crlNumber(X509CRL crl) {
		return CRLNumber
			.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets())
			.getCRLNumber();
	}

	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration d) {
			this.now = this.now.plus(d);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
