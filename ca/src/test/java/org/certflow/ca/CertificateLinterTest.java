package org.certflow.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V1TBSCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One bad to-be-signed certificate per lint. Each starts from a TBS the CA built (which
 * lints clean) and breaks exactly one thing.
 */
class CertificateLinterTest {

	@TempDir
	static Path dataDir;

	static IssuingAuthority ca;

	static CaSettings settings;

	static SubjectPublicKeyInfo spki;

	static Instant now;

	static byte[] good;

	static final CertificateLinter linter = new CertificateLinter();

	@BeforeAll
	static void setUp() {
		settings = TestSupport.settings(dataDir)
			.profile(IssuanceProfile.standard())
			.profile(TestSupport.SPONSORED)
			.build();
		ca = CertificateAuthorities.issuing(settings, new InMemoryIssuanceJournal(), java.time.Clock.systemUTC());
		KeyPair key = TestSupport.ecKey("secp256r1");
		spki = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
		now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		good = ca.buildTbs(Serials.draw(new SecureRandom()), now.minusSeconds(60),
				now.plus(java.time.Duration.ofDays(90)), new X500Name("C=DE,CN=Alice Example"), "alice@example.org",
				spki, "EC", IssuanceProfile.standard());
	}

	static List<String> lint(byte[] tbs) {
		return linter.lint(tbs, new CertificateLinter.Context(ca.keys(), settings, IssuanceProfile.standard(),
				"alice@example.org", "EC", now));
	}

	@Test
	void aCertificateBuiltByTheCaLintsClean() {
		assertThat(lint(good)).isEmpty();
	}

	@Test
	void flagsASerialOfZero() {
		assertThat(lint(withField(1, new ASN1Integer(0)))).anyMatch((f) -> f.startsWith("serial:"));
	}

	@Test
	void flagsANegativeSerial() {
		assertThat(lint(withField(1, new ASN1Integer(-123456789L)))).anyMatch((f) -> f.contains("positive"));
	}

	@Test
	void flagsASerialLongerThanTwentyOctets() {
		BigInteger big = BigInteger.ONE.shiftLeft(170);
		assertThat(lint(withField(1, new ASN1Integer(big)))).anyMatch((f) -> f.contains("20 octets"));
	}

	@Test
	void flagsASerialWithFewerThanSixtyFourBits() {
		assertThat(lint(withField(1, new ASN1Integer(0x1234567L)))).anyMatch((f) -> f.contains("64 bits"));
	}

	@Test
	void flagsAVersionOneCertificate() throws Exception {
		TBSCertificate t = TBSCertificate.getInstance(good);
		V1TBSCertificateGenerator g = new V1TBSCertificateGenerator();
		g.setSerialNumber(t.getSerialNumber());
		g.setSignature(t.getSignature());
		g.setIssuer(t.getIssuer());
		g.setStartDate(t.getStartDate());
		g.setEndDate(t.getEndDate());
		g.setSubject(t.getSubject());
		g.setSubjectPublicKeyInfo(t.getSubjectPublicKeyInfo());
		assertThat(lint(g.generateTBSCertificate().getEncoded())).anyMatch((f) -> f.startsWith("version:"));
	}

	@Test
	void flagsASignatureAlgorithmThatIsNotTheIssuingKeys() {
		AlgorithmIdentifier rsa = new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption,
				org.bouncycastle.asn1.DERNull.INSTANCE);
		assertThat(lint(withField(2, rsa))).anyMatch((f) -> f.startsWith("signature-algorithm:"));
	}

	@Test
	void flagsAnIssuerThatIsNotTheIssuingCa() {
		assertThat(lint(withField(3, new X500Name("CN=Someone Else")))).anyMatch((f) -> f.startsWith("issuer-name:"));
	}

	@Test
	void flagsNotAfterBeyondTheIssuersNotAfter() {
		Instant end = ca.keys().issuingCertificate().getNotAfter().toInstant().plusSeconds(3600);
		assertThat(lint(withValidity(now.minusSeconds(60), end))).anyMatch((f) -> f.contains("issuing CA's notAfter"));
	}

	@Test
	void flagsNotAfterBeforeNotBefore() {
		assertThat(lint(withValidity(now, now.minusSeconds(3600)))).anyMatch((f) -> f.contains("not after notBefore"));
	}

	@Test
	void flagsValidityLongerThanTheProfile() {
		assertThat(lint(withValidity(now.minusSeconds(60), now.plus(java.time.Duration.ofDays(400)))))
			.anyMatch((f) -> f.contains("longer than the profile"));
	}

	@Test
	void flagsGeneralizedTimeBefore2050() {
		Time start = new Time(new DERGeneralizedTime(Date.from(now.minusSeconds(60))));
		ASN1Sequence validity = new DERSequence(new ASN1Encodable[] { start,
				new Time(Date.from(now.plus(java.time.Duration.ofDays(30))), Locale.ROOT) });
		assertThat(lint(withField(4, validity))).anyMatch((f) -> f.contains("UTCTime"));
	}

	@Test
	void flagsAnEmptySubject() {
		assertThat(lint(withField(5, new X500Name(new org.bouncycastle.asn1.x500.RDN[0]))))
			.anyMatch((f) -> f.contains("subject is empty"));
	}

	@Test
	void flagsAnEmailAddressAttributeInTheSubject() {
		assertThat(lint(withField(5, new X500Name("CN=Alice,E=alice@example.org"))))
			.anyMatch((f) -> f.startsWith("subject: attribute 1.2.840.113549.1.9.1"));
	}

	@Test
	void flagsACommonNameLongerThanSixtyFourCharacters() {
		assertThat(lint(withField(5,
				new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
						new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.CN,
								new org.bouncycastle.asn1.DERUTF8String("a".repeat(65))) }))))
			.anyMatch((f) -> f.contains("longer than 64"));
	}

	@Test
	void flagsABidiControlCharacterInTheSubject() {
		assertThat(lint(withField(5, new X500Name("CN=Alice \u202Efdp.exe")))).anyMatch((f) -> f.contains("U+202E"));
	}

	@Test
	void flagsADuplicateExtension() {
		assertThat(lint(withExtensions((list) -> {
			list.add(list.get(0));
			return list;
		}))).anyMatch((f) -> f.startsWith("extensions-unique:"));
	}

	@Test
	void flagsAnUnknownCriticalExtension() {
		assertThat(lint(withExtensions((list) -> {
			list.add(new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.9"), true,
					new DEROctetString(new byte[] { 5, 0 })));
			return list;
		}))).anyMatch((f) -> f.startsWith("extensions-critical:"));
	}

	@Test
	void flagsAnExtensionOutsideTheProfile() {
		assertThat(lint(withExtensions((list) -> {
			list.add(new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.9"), false,
					new DEROctetString(new byte[] { 5, 0 })));
			return list;
		}))).anyMatch((f) -> f.startsWith("extensions-allowed:"));
	}

	@Test
	void flagsCaTrue() {
		assertThat(lint(replace(Extension.basicConstraints, true, new BasicConstraints(true))))
			.anyMatch((f) -> f.contains("CA:TRUE"));
	}

	@Test
	void flagsNonCriticalBasicConstraints() {
		assertThat(lint(replace(Extension.basicConstraints, false, new BasicConstraints(false))))
			.anyMatch((f) -> f.equals("basic-constraints: must be critical"));
	}

	@Test
	void flagsMissingBasicConstraints() {
		assertThat(lint(remove(Extension.basicConstraints))).contains("basic-constraints: missing");
	}

	@Test
	void flagsKeyCertSign() {
		assertThat(
				lint(replace(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))))
			.anyMatch((f) -> f.contains("keyCertSign and cRLSign"));
	}

	@Test
	void flagsKeyUsageThatDoesNotFitTheKeyType() {
		assertThat(lint(
				replace(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))))
			.anyMatch((f) -> f.startsWith("key-usage:") && f.contains("EC key"));
	}

	/**
	 * A builder bug: the builder takes the subscriber's EC key for an RSA key and grants
	 * keyEncipherment. A lint that took its expectation from the builder (as it once did)
	 * would agree with it; this one reads the key type from the certificate and has its
	 * own rule.
	 */
	@Test
	void catchesABuilderThatMistakesTheKeyType() {
		byte[] buggy = ca.buildTbs(Serials.draw(new SecureRandom()), now.minusSeconds(60),
				now.plus(java.time.Duration.ofDays(90)), new X500Name("CN=Alice Example"), "alice@example.org", spki,
				"RSA", IssuanceProfile.standard());
		List<String> findings = linter.lint(buggy, new CertificateLinter.Context(ca.keys(), settings,
				IssuanceProfile.standard(), "alice@example.org", "RSA", now));
		assertThat(findings).anyMatch((f) -> f.startsWith("key-usage:") && f.contains("EC key"));
	}

	/** Any single wrong bit, added or missing, is a finding, for every key type. */
	@Test
	void catchesEveryWrongKeyUsageBit() {
		int[] bits = { KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment,
				KeyUsage.dataEncipherment, KeyUsage.keyAgreement, KeyUsage.encipherOnly, KeyUsage.decipherOnly };
		int right = KeyUsage.digitalSignature | KeyUsage.keyAgreement;
		for (int bit : bits) {
			assertThat(lint(replace(Extension.keyUsage, true, new KeyUsage(right ^ bit))))
				.as("key usage with bit %x flipped", bit)
				.anyMatch((f) -> f.startsWith("key-usage:"));
		}
	}

	/**
	 * The linter's rule, stated once more from the S/MIME BR (7.1.2.3 e): dual use for a
	 * class with emailProtection, signing only otherwise; EC keys agree keys, RSA keys
	 * receive them, Ed25519 keys only sign.
	 */
	@Test
	void keyUsageRulesAreTheSmimeBaselineRequirements() {
		IssuanceProfile mail = IssuanceProfile.standard();
		IssuanceProfile clientOnly = new IssuanceProfile("client", java.time.Duration.ofDays(90),
				List.of(IssuanceProfile.CLIENT_AUTH), true);
		int sig = KeyUsage.digitalSignature;
		assertThat(CertificateLinter.requiredKeyUsage(mail, "RSA")).isEqualTo(sig | KeyUsage.keyEncipherment);
		assertThat(CertificateLinter.requiredKeyUsage(mail, "EC")).isEqualTo(sig | KeyUsage.keyAgreement);
		assertThat(CertificateLinter.requiredKeyUsage(mail, "Ed25519")).isEqualTo(sig);
		assertThat(CertificateLinter.requiredKeyUsage(clientOnly, "RSA")).isEqualTo(sig);
		assertThat(CertificateLinter.requiredKeyUsage(clientOnly, "EC")).isEqualTo(sig);
		assertThat(CertificateLinter.requiredKeyUsage(mail, "DSA")).isEqualTo(-1);
	}

	@Test
	void theStandardClassAssertsTheIndividualValidatedMultipurposeSmimePolicy() {
		CertificatePolicies cp = CertificatePolicies.getInstance(TBSCertificate.getInstance(good)
			.getExtensions()
			.getExtensionParsedValue(Extension.certificatePolicies));
		assertThat(cp.getPolicyInformation()).extracting((pi) -> pi.getPolicyIdentifier().getId())
			.containsExactly(settings.certificatePolicyOid(), "2.23.140.1.5.4.2");
		IssuanceProfile strict = new IssuanceProfile("mail", java.time.Duration.ofDays(90),
				List.of(IssuanceProfile.EMAIL_PROTECTION), true);
		assertThat(strict.smimePolicyOid()).contains("2.23.140.1.5.4.3");
		assertThat(TestSupport.SPONSORED.smimePolicyOid()).contains("2.23.140.1.5.3.2");
	}

	@Test
	void flagsAnOrganizationInAnIndividualValidatedCertificate() {
		assertThat(lint(withField(5, new X500Name("C=DE,O=Example,CN=Alice Example"))))
			.anyMatch((f) -> f.startsWith("subject-smime:") && f.contains("individual-validated"));
	}

	@Test
	void flagsASponsorValidatedCertificateWithoutItsOrganization() {
		byte[] tbs = ca.buildTbs(Serials.draw(new SecureRandom()), now.minusSeconds(60),
				now.plus(java.time.Duration.ofDays(90)), new X500Name("C=DE,CN=Alice Example"), "alice@example.org",
				spki, "EC", TestSupport.SPONSORED);
		assertThat(
				linter.lint(tbs,
						new CertificateLinter.Context(ca.keys(), settings, TestSupport.SPONSORED, "alice@example.org",
								"EC", now)))
			.anyMatch((f) -> f.startsWith("subject-smime:") && f.contains("sponsor-validated"));
	}

	@Test
	void flagsAMissingSmimePolicy() {
		CertificatePolicies onlyOurs = new CertificatePolicies(
				new PolicyInformation(new ASN1ObjectIdentifier(settings.certificatePolicyOid())));
		assertThat(lint(replace(Extension.certificatePolicies, false, onlyOurs)))
			.anyMatch((f) -> f.startsWith("certificate-policies:") && f.contains("2.23.140.1.5.4.2"));
	}

	@Test
	void flagsTheWrongSmimeGeneration() {
		CertificatePolicies strict = new CertificatePolicies(new PolicyInformation[] {
				new PolicyInformation(new ASN1ObjectIdentifier(settings.certificatePolicyOid())),
				new PolicyInformation(new ASN1ObjectIdentifier("2.23.140.1.5.4.3")) });
		assertThat(lint(replace(Extension.certificatePolicies, false, strict)))
			.anyMatch((f) -> f.startsWith("certificate-policies:"));
	}

	@Test
	void flagsAnyExtendedKeyUsage() {
		assertThat(lint(replace(Extension.extendedKeyUsage, false,
				new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_emailProtection,
						KeyPurposeId.id_kp_clientAuth, KeyPurposeId.anyExtendedKeyUsage }))))
			.anyMatch((f) -> f.contains("anyExtendedKeyUsage"));
	}

	@Test
	void flagsAnExtendedKeyUsageTheProfileDoesNotGrant() {
		assertThat(lint(replace(Extension.extendedKeyUsage, false,
				new ExtendedKeyUsage(
						new KeyPurposeId[] { KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_serverAuth }))))
			.anyMatch((f) -> f.startsWith("extended-key-usage:"));
	}

	@Test
	void flagsASubjectKeyIdentifierOfAnotherKey() {
		assertThat(lint(replace(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(new byte[20]))))
			.anyMatch((f) -> f.startsWith("subject-key-identifier:"));
	}

	@Test
	void flagsAnAuthorityKeyIdentifierOfAnotherIssuer() {
		assertThat(lint(replace(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(new byte[20]))))
			.anyMatch((f) -> f.startsWith("authority-key-identifier:"));
	}

	@Test
	void flagsAnExtraSubjectAlternativeName() {
		GeneralNames names = new GeneralNames(
				new GeneralName[] { new GeneralName(GeneralName.rfc822Name, "alice@example.org"),
						new GeneralName(GeneralName.dNSName, "example.org") });
		assertThat(lint(replace(Extension.subjectAlternativeName, false, names)))
			.anyMatch((f) -> f.contains("exactly one rfc822Name"));
	}

	@Test
	void flagsAMailboxOtherThanTheValidatedOne() {
		GeneralNames names = new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mallory@example.org"));
		assertThat(lint(replace(Extension.subjectAlternativeName, false, names)))
			.anyMatch((f) -> f.contains("not the validated mailbox"));
	}

	@Test
	void flagsACrlDistributionPointOtherThanConfigured() {
		CRLDistPoint dp = new CRLDistPoint(new DistributionPoint[] { new DistributionPoint(
				new DistributionPointName(new GeneralNames(
						new GeneralName(GeneralName.uniformResourceIdentifier, "http://evil.example/crl"))),
				null, null) });
		assertThat(lint(replace(Extension.cRLDistributionPoints, false, dp)))
			.anyMatch((f) -> f.startsWith("crl-distribution-points:"));
	}

	@Test
	void flagsMissingOcspUrl() {
		AuthorityInformationAccess aia = new AuthorityInformationAccess(
				new AccessDescription(AccessDescription.id_ad_caIssuers,
						new GeneralName(GeneralName.uniformResourceIdentifier, settings.caIssuersUrl())));
		assertThat(lint(replace(Extension.authorityInfoAccess, false, aia)))
			.anyMatch((f) -> f.startsWith("authority-info-access:"));
	}

	@Test
	void flagsAPolicyOtherThanConfigured() {
		CertificatePolicies cp = new CertificatePolicies(
				new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0")));
		assertThat(lint(replace(Extension.certificatePolicies, false, cp)))
			.anyMatch((f) -> f.startsWith("certificate-policies:"));
	}

	@Test
	void flagsAnEncodingThatDoesNotSurviveADerRoundTrip() throws Exception {
		// critical = FALSE written out explicitly: BER allows it, DER forbids encoding a
		// default.
		ASN1Sequence explicitFalse = new DERSequence(new ASN1Encodable[] { Extension.certificatePolicies,
				ASN1Boolean.FALSE, new DEROctetString(new CertificatePolicies(
						new PolicyInformation(new ASN1ObjectIdentifier(settings.certificatePolicyOid())))) });
		assertThat(lint(withRawExtensions((list) -> {
			list.removeIf((e) -> ASN1Sequence.getInstance(e).getObjectAt(0).equals(Extension.certificatePolicies));
			list.add(explicitFalse);
			return list;
		}))).anyMatch((f) -> f.startsWith("der-round-trip:"));
	}

	@Test
	void flagsTrailingBytesAfterTheTbs() {
		byte[] longer = java.util.Arrays.copyOf(good, good.length + 2);
		assertThat(lint(longer)).anyMatch((f) -> f.startsWith("der:"));
	}

	// --- helpers that rebuild the good TBS with one change ---

	private static byte[] withField(int index, ASN1Encodable value) {
		ASN1Sequence seq = ASN1Sequence.getInstance(good);
		ASN1EncodableVector v = new ASN1EncodableVector();
		for (int i = 0; i < seq.size(); i++) {
			v.add((i == index) ? value : seq.getObjectAt(i));
		}
		return encode(new DERSequence(v));
	}

	private static byte[] withValidity(Instant from, Instant to) {
		return withField(4, new DERSequence(
				new ASN1Encodable[] { new Time(Date.from(from), Locale.ROOT), new Time(Date.from(to), Locale.ROOT) }));
	}

	private static byte[] replace(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
		return withExtensions((list) -> {
			for (int i = 0; i < list.size(); i++) {
				if (list.get(i).getExtnId().equals(oid)) {
					try {
						list.set(i, new Extension(oid, critical, new DEROctetString(value)));
					}
					catch (java.io.IOException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
			return list;
		});
	}

	private static byte[] remove(ASN1ObjectIdentifier oid) {
		return withExtensions((list) -> {
			list.removeIf((e) -> e.getExtnId().equals(oid));
			return list;
		});
	}

	private static byte[] withExtensions(UnaryOperator<List<Extension>> change) {
		return withRawExtensions((raw) -> {
			List<Extension> list = new ArrayList<>();
			raw.forEach((e) -> list.add(Extension.getInstance(e)));
			List<ASN1Encodable> out = new ArrayList<>(change.apply(list));
			return out;
		});
	}

	private static byte[] withRawExtensions(UnaryOperator<List<ASN1Encodable>> change) {
		ASN1Sequence seq = ASN1Sequence.getInstance(good);
		ASN1EncodableVector v = new ASN1EncodableVector();
		for (ASN1Encodable element : seq) {
			if (element instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
				List<ASN1Encodable> list = new ArrayList<>();
				ASN1Sequence.getInstance(tagged.getExplicitBaseObject()).forEach(list::add);
				List<ASN1Encodable> changed = change.apply(list);
				v.add(new DERTaggedObject(true, 3, new DERSequence(changed.toArray(new ASN1Encodable[0]))));
			}
			else {
				v.add(element);
			}
		}
		return encode(new DERSequence(v));
	}

	private static byte[] encode(ASN1Sequence seq) {
		try {
			return seq.getEncoded("DER");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
