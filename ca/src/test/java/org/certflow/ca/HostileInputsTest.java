package org.certflow.ca;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each hostile request is refused with a specific reason, and the journal holds nothing
 * afterwards: no reservation, no burned serial, no certificate.
 */
class HostileInputsTest {

	@TempDir
	static Path dataDir;

	static InMemoryIssuanceJournal journal;

	static CertificateAuthority ca;

	static KeyPair rsa;

	static KeyPair ec;

	static final SecureRandom random = new SecureRandom();

	@BeforeAll
	static void setUp() {
		journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(), journal);
		rsa = TestSupport.rsaKey(2048);
		ec = TestSupport.ecKey("secp256r1");
	}

	@AfterEach
	void nothingWasStored() {
		assertThat(journal.reservations()).isEmpty();
		assertThat(journal.issuedCount()).isZero();
	}

	@Test
	void rejectsCsrWhoseSignatureDoesNotVerify() {
		byte[] csr = TestSupport.csr(ec);
		csr[csr.length - 5] ^= 0x01;
		assertRefused(csr, RefusalReason.BAD_PROOF_OF_POSSESSION, "signature does not verify");
	}

	@Test
	void rejectsCsrSignedByAnotherKeyThanItsPublicKey() {
		KeyPair other = TestSupport.ecKey("secp256r1");
		byte[] csr = TestSupport.csr(spki(ec), other.getPrivate(), "SHA256withECDSA", null);
		assertRefused(csr, RefusalReason.BAD_PROOF_OF_POSSESSION, "signature does not verify");
	}

	@Test
	void rejectsRsa1024() {
		assertRefused(TestSupport.csr(TestSupport.rsaKey(1024)), RefusalReason.WEAK_KEY,
				"RSA keys must be at least 2048 bits");
	}

	@Test
	void rejectsRsa2047() {
		assertRefused(rsaCsr(oddModulus(2047), 65537), RefusalReason.WEAK_KEY, "RSA keys must be at least 2048 bits");
	}

	@Test
	void rejectsRsa16384() {
		assertRefused(rsaCsr(oddModulus(16384), 65537), RefusalReason.WEAK_KEY, "at most 8192 bits");
	}

	@Test
	void rejectsModulusLengthThatIsNotAMultipleOfEight() {
		assertRefused(rsaCsr(oddModulus(2052), 65537), RefusalReason.WEAK_KEY, "multiple of 8");
	}

	@Test
	void rejectsExponentThree() {
		assertRefused(rsaCsr(oddModulus(2048), 3), RefusalReason.WEAK_KEY, "at least 65537");
	}

	@Test
	void rejectsEvenExponents() {
		assertRefused(rsaCsr(oddModulus(2048), 65536), RefusalReason.WEAK_KEY, "must be odd");
		assertRefused(rsaCsr(oddModulus(2048), 65538), RefusalReason.WEAK_KEY, "must be odd");
	}

	@Test
	void rejectsSecp256k1() {
		assertRefused(TestSupport.csr(TestSupport.ecKey("secp256k1")), RefusalReason.WEAK_KEY, "secp256k1");
	}

	@Test
	void rejectsP192() {
		assertRefused(TestSupport.csr(TestSupport.ecKey("secp192r1")), RefusalReason.WEAK_KEY, "is not accepted");
	}

	@Test
	void rejectsExplicitCurveParameters() {
		X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
		SubjectPublicKeyInfo explicit = new SubjectPublicKeyInfo(
				new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, p256), spki(ec).getPublicKeyData());
		assertRefused(TestSupport.csr(explicit, ec.getPrivate(), "SHA256withECDSA", null), RefusalReason.WEAK_KEY,
				"explicit");
	}

	@Test
	void rejectsEcPointNotOnTheCurve() {
		byte[] point = spki(ec).getPublicKeyData().getOctets();
		point[point.length - 1] ^= 0x01;
		SubjectPublicKeyInfo offCurve = new SubjectPublicKeyInfo(spki(ec).getAlgorithm(), point);
		assertRefused(TestSupport.csr(offCurve, ec.getPrivate(), "SHA256withECDSA", null), RefusalReason.WEAK_KEY,
				"not a valid point");
	}

	@Test
	void rejectsModulusWithSmallFactor() {
		BigInteger n;
		do {
			n = BigInteger.valueOf(751).multiply(new BigInteger(2038, random).setBit(2037).setBit(0));
		}
		while (n.bitLength() != 2048);
		assertRefused(rsaCsr(n, 65537), RefusalReason.BLOCKED_KEY, "small prime factor");
	}

	@Test
	void rejectsModulusThatIsASquare() {
		BigInteger n;
		do {
			BigInteger p = BigInteger.probablePrime(1024, random);
			n = p.multiply(p);
		}
		while (n.bitLength() != 2048);
		assertRefused(rsaCsr(n, 65537), RefusalReason.BLOCKED_KEY, "Fermat");
	}

	@Test
	void rejectsModulusWithClosePrimes() {
		BigInteger n;
		do {
			BigInteger p = BigInteger.probablePrime(1024, random);
			BigInteger q = p.add(BigInteger.valueOf(1000)).nextProbablePrime();
			n = p.multiply(q);
		}
		while (n.bitLength() != 2048);
		assertRefused(rsaCsr(n, 65537), RefusalReason.BLOCKED_KEY, "Fermat");
	}

	@Test
	void rejectsCsrAskingForCaTrue() {
		assertRefused(withExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
				RefusalReason.PROFILE_VIOLATION, "CA:TRUE");
	}

	@Test
	void rejectsCsrAskingForKeyCertSign() {
		assertRefused(
				withExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign)),
				RefusalReason.PROFILE_VIOLATION, "keyCertSign");
	}

	@Test
	void rejectsCsrAskingForAnyExtendedKeyUsage() {
		assertRefused(
				withExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage)),
				RefusalReason.PROFILE_VIOLATION, "anyExtendedKeyUsage");
	}

	@Test
	void rejectsCsrAskingForAnExtendedKeyUsageTheClassDoesNotGrant() {
		assertRefused(
				withExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)),
				RefusalReason.PROFILE_VIOLATION, "1.3.6.1.5.5.7.3.1");
	}

	@Test
	void rejectsCsrAskingForNameConstraints() {
		NameConstraints nc = new NameConstraints(
				new GeneralSubtree[] { new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, "example.org")) },
				null);
		assertRefused(withExtension(Extension.nameConstraints, true, nc), RefusalReason.PROFILE_VIOLATION,
				"name constraints");
	}

	@Test
	void rejectsCsrAskingForExtraSubjectAlternativeNames() {
		GeneralNames names = new GeneralNames(
				new GeneralName[] { new GeneralName(GeneralName.rfc822Name, "a@example.org"),
						new GeneralName(GeneralName.dNSName, "evil.example") });
		assertRefused(withExtension(Extension.subjectAlternativeName, false, names), RefusalReason.PROFILE_VIOLATION,
				"extra subject alternative names");
	}

	@Test
	void rejectsCsrAskingForAnotherMailboxThanTheValidatedOne() {
		GeneralNames names = new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mallory@example.org"));
		assertRefused(withExtension(Extension.subjectAlternativeName, false, names), RefusalReason.PROFILE_VIOLATION,
				"mallory@example.org");
	}

	@Test
	void rejectsDeeplyNestedDer() {
		byte[] inner = new byte[] { 0x05, 0x00 };
		for (int i = 0; i < 200; i++) {
			inner = tlv(0x30, inner);
		}
		assertRefused(inner, RefusalReason.MALFORMED_CSR, "nests deeper");
	}

	@Test
	void rejectsIndefiniteLengthEncoding() {
		byte[] csr = TestSupport.csr(ec);
		// Re-wrap the body of the outer SEQUENCE with BER indefinite length and an
		// end-of-contents marker.
		int headerLength = ((csr[1] & 0x80) != 0) ? 2 + (csr[1] & 0x7f) : 2;
		ByteArrayOutputStream ber = new ByteArrayOutputStream();
		ber.write(0x30);
		ber.write(0x80);
		ber.write(csr, headerLength, csr.length - headerLength);
		ber.write(0);
		ber.write(0);
		assertRefused(ber.toByteArray(), RefusalReason.MALFORMED_CSR, "indefinite-length");
	}

	@Test
	void rejectsConstructedBitStringEncoding() {
		// SEQUENCE { BIT STRING (constructed) { BIT STRING 00 01 } }: legal BER, never
		// DER.
		byte[] ber = { 0x30, 0x06, 0x23, 0x04, 0x03, 0x02, 0x00, 0x01 };
		assertRefused(ber, RefusalReason.MALFORMED_CSR, "constructed string");
	}

	@Test
	void rejectsTrailingGarbage() {
		byte[] csr = TestSupport.csr(ec);
		byte[] longer = java.util.Arrays.copyOf(csr, csr.length + 3);
		assertRefused(longer, RefusalReason.MALFORMED_CSR, "trailing data");
	}

	@Test
	void rejectsOneMegabyteOfDer() {
		byte[] big = new byte[1024 * 1024];
		big[0] = 0x30;
		big[1] = (byte) 0x83;
		big[2] = 0x0f;
		big[3] = (byte) 0xff;
		big[4] = (byte) 0xfc;
		assertRefused(big, RefusalReason.MALFORMED_CSR, "more than");
	}

	@Test
	void rejectsNonDerThatIsNotACsr() throws Exception {
		assertRefused(new DERSequence(new ASN1Integer(5)).toASN1Primitive().getEncoded(), RefusalReason.MALFORMED_CSR,
				"not a PKCS#10");
	}

	@Test
	void rejectsMultiplePemBlocks() {
		String pem = TestSupport.pem("CERTIFICATE REQUEST", TestSupport.csr(ec));
		assertThatThrownBy(() -> CsrInspector.decodePem(pem + pem)).isInstanceOfSatisfying(
				IssuanceRefusedException.class, (e) -> assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_PEM));
	}

	@Test
	void rejectsSubjectDataWithBidiControlCharacters() {
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("hostile-bidi", TestSupport.csr(ec), "standard",
				SubjectData.of("Alice \u202Egnp.exe", "alice@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.BAD_SUBJECT))
			.hasMessageContaining("U+202E");
	}

	@Test
	void rejectsSubjectDataLongerThanSixtyFourCharacters() {
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("hostile-long", TestSupport.csr(ec), "standard",
				SubjectData.of("A".repeat(65), "alice@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.BAD_SUBJECT))
			.hasMessageContaining("longer than 64");
	}

	@Test
	void rejectsMailboxWithControlCharacters() {
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("hostile-mail", TestSupport.csr(ec), "standard",
				SubjectData.of("Alice", "alice@example.org\r\nBcc: x@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.BAD_SUBJECT));
	}

	private static void assertRefused(byte[] csr, RefusalReason reason, String messagePart) {
		assertThatThrownBy(() -> ca.issue(
				new IssuanceRequest("hostile", csr, "standard", SubjectData.of("Alice Example", "alice@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class, (e) -> assertThat(e.reason()).isEqualTo(reason))
			.hasMessageContaining(messagePart);
	}

	private static byte[] withExtension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
			ASN1Encodable value) {
		try {
			ExtensionsGenerator g = new ExtensionsGenerator();
			g.addExtension(oid, critical, value);
			Extensions extensions = g.generate();
			return TestSupport.csr(ec, extensions);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A CSR for a synthetic RSA public key; signed by a real key since policy refuses
	 * before PoP matters.
	 */
	private static byte[] rsaCsr(BigInteger modulus, long exponent) {
		try {
			SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
					new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
					new RSAPublicKey(modulus, BigInteger.valueOf(exponent)));
			return TestSupport.csr(spki, rsa.getPrivate(), "SHA256withRSA", null);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An odd number of exactly {@code bits} bits. Size and exponent are checked before
	 * any factoring test, so it need not be a product of two primes (and finding 8192-bit
	 * primes would take minutes).
	 */
	private static BigInteger oddModulus(int bits) {
		return new BigInteger(bits, random).setBit(bits - 1).setBit(0);
	}

	private static SubjectPublicKeyInfo spki(KeyPair keys) {
		return SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
	}

	private static byte[] tlv(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		if (content.length < 0x80) {
			out.write(content.length);
		}
		else if (content.length < 0x100) {
			out.write(0x81);
			out.write(content.length);
		}
		else {
			out.write(0x82);
			out.write(content.length >> 8);
			out.write(content.length);
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

}
