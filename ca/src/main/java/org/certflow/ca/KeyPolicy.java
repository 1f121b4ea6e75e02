package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Which subscriber keys the CA certifies. Every refusal carries its own reason and
 * message so the subscriber learns what to change.
 */
final class KeyPolicy {

	static final int RSA_MIN_BITS = 2048;

	static final int RSA_MAX_BITS = 8192;

	private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);

	/**
	 * NIST SP 800-56B caps e below 2^256; larger exponents only appear in crafted keys.
	 */
	private static final BigInteger MAX_EXPONENT = BigInteger.ONE.shiftLeft(256);

	private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(SECObjectIdentifiers.secp256r1, "P-256",
			SECObjectIdentifiers.secp384r1, "P-384", SECObjectIdentifiers.secp521r1, "P-521");

	private final KeyBlocklist blocklist;

	KeyPolicy(KeyBlocklist blocklist) {
		this.blocklist = blocklist;
	}

	/**
	 * Checks algorithm, size, curve and the public value itself.
	 * @param spki the subscriber key
	 * @param spkiSha256 its hash (for the blocklist)
	 * @param profile the certificate class
	 * @return facts about the key
	 * @throws IssuanceRefusedException WEAK_KEY or BLOCKED_KEY
	 */
	KeyFacts check(SubjectPublicKeyInfo spki, byte[] spkiSha256, IssuanceProfile profile) {
		ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
		// Every accepted key is whole bytes; Bouncy Castle throws IllegalStateException,
		// not
		// a parse error, when asked for the bytes of a bit string that is not (fuzzing).
		if (spki.getPublicKeyData().getPadBits() != 0) {
			throw refuse(RefusalReason.MALFORMED_CSR, "the public key is not a whole number of bytes");
		}
		KeyFacts facts;
		if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
			facts = checkRsa(spki);
		}
		else if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
			facts = checkEc(spki);
		}
		else if (EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
			facts = checkEd25519(spki, profile);
		}
		else {
			throw refuse(RefusalReason.WEAK_KEY, "key algorithm " + alg.getId()
					+ " is not accepted; use RSA (2048-8192 bits), ECDSA P-256/P-384/P-521 or Ed25519");
		}
		if (this.blocklist.contains(spkiSha256)) {
			throw refuse(RefusalReason.BLOCKED_KEY,
					"this public key is on the blocklist of weak or compromised keys; generate a new key");
		}
		return facts;
	}

	private KeyFacts checkRsa(SubjectPublicKeyInfo spki) {
		if (spki.getAlgorithm().getParameters() != null
				&& !org.bouncycastle.asn1.DERNull.INSTANCE.equals(spki.getAlgorithm().getParameters())) {
			throw refuse(RefusalReason.WEAK_KEY, "RSA key algorithm parameters must be NULL");
		}
		RSAPublicKey key;
		try {
			key = RSAPublicKey.getInstance(spki.parsePublicKey());
		}
		catch (IOException | IllegalArgumentException ex) {
			throw refuse(RefusalReason.MALFORMED_CSR, "the RSA public key is not well-formed");
		}
		BigInteger n = key.getModulus();
		BigInteger e = key.getPublicExponent();
		if (n.signum() <= 0 || e.signum() <= 0) {
			throw refuse(RefusalReason.WEAK_KEY, "the RSA modulus and exponent must be positive");
		}
		// First, so a fingerprinted key is named as such whatever else is wrong with it.
		if (RsaModulusChecks.hasRocaFingerprint(n)) {
			throw refuse(RefusalReason.BLOCKED_KEY,
					"ROCA-vulnerable key (Infineon RSALib, CVE-2017-15361); generate a new key outside the affected device");
		}
		int bits = n.bitLength();
		if (bits < RSA_MIN_BITS) {
			throw refuse(RefusalReason.WEAK_KEY, "RSA keys must be at least 2048 bits (this one has " + bits + ")");
		}
		if (bits > RSA_MAX_BITS) {
			throw refuse(RefusalReason.WEAK_KEY, "RSA keys must be at most 8192 bits (this one has " + bits + ")");
		}
		if (bits % 8 != 0) {
			throw refuse(RefusalReason.WEAK_KEY,
					"the RSA modulus length must be a multiple of 8 bits (this one has " + bits + ")");
		}
		if (!e.testBit(0)) {
			throw refuse(RefusalReason.WEAK_KEY, "the RSA public exponent must be odd");
		}
		if (e.compareTo(MIN_EXPONENT) < 0) {
			throw refuse(RefusalReason.WEAK_KEY,
					"the RSA public exponent must be at least 65537 (this one is " + e + ")");
		}
		if (e.compareTo(MAX_EXPONENT) >= 0) {
			throw refuse(RefusalReason.WEAK_KEY, "the RSA public exponent must be below 2^256");
		}
		if (RsaModulusChecks.hasSmallFactor(n)) {
			throw refuse(RefusalReason.BLOCKED_KEY, "the RSA modulus has a small prime factor; generate a new key");
		}
		if (RsaModulusChecks.hasClosePrimes(n)) {
			throw refuse(RefusalReason.BLOCKED_KEY,
					"the RSA modulus has prime factors so close that it can be factored (Fermat); generate a new key");
		}
		return new KeyFacts("RSA", bits, "RSA " + bits);
	}

	private KeyFacts checkEc(SubjectPublicKeyInfo spki) {
		ASN1Encodable params = spki.getAlgorithm().getParameters();
		if (!(params instanceof ASN1ObjectIdentifier curveOid)) {
			throw refuse(RefusalReason.WEAK_KEY,
					"EC keys must name their curve (P-256, P-384 or P-521); explicit or implicit curve parameters are not accepted");
		}
		String curve = CURVES.get(curveOid);
		if (curve == null) {
			String name = ECNamedCurveTable.getName(curveOid);
			throw refuse(RefusalReason.WEAK_KEY, "EC curve " + ((name != null) ? name : curveOid.getId())
					+ " is not accepted; use P-256, P-384 or P-521");
		}
		X9ECParameters x9 = ECNamedCurveTable.getByOID(curveOid);
		ECPoint point;
		try {
			point = x9.getCurve().decodePoint(spki.getPublicKeyData().getOctets());
		}
		catch (RuntimeException ex) {
			throw refuse(RefusalReason.WEAK_KEY, "the EC public point is not a valid point on " + curve);
		}
		// decodePoint checks the curve equation; isValid adds the subgroup check, which
		// for these
		// prime-order curves (cofactor 1) is implied, so no costly scalar multiplication
		// is needed.
		if (point.isInfinity() || !point.isValid()) {
			throw refuse(RefusalReason.WEAK_KEY, "the EC public point is not a valid point on " + curve);
		}
		int bits = x9.getCurve().getFieldSize();
		return new KeyFacts("EC", bits, "ECDSA " + curve);
	}

	private KeyFacts checkEd25519(SubjectPublicKeyInfo spki, IssuanceProfile profile) {
		if (spki.getAlgorithm().getParameters() != null) {
			throw refuse(RefusalReason.MALFORMED_CSR, "Ed25519 key algorithm identifiers carry no parameters");
		}
		if (spki.getPublicKeyData().getPadBits() != 0 || spki.getPublicKeyData().getOctets().length != 32) {
			throw refuse(RefusalReason.MALFORMED_CSR, "an Ed25519 public key is exactly 32 bytes");
		}
		if (!profile.allowEd25519()) {
			throw refuse(RefusalReason.WEAK_KEY, "Ed25519 keys are not allowed for the '" + profile.name()
					+ "' certificate class; use RSA or ECDSA");
		}
		return new KeyFacts("Ed25519", 256, "Ed25519");
	}

	private static IssuanceRefusedException refuse(RefusalReason reason, String message) {
		return new IssuanceRefusedException(reason, message);
	}

	/**
	 * Facts about a subscriber key that passed policy.
	 *
	 * @param algorithm RSA, EC or Ed25519
	 * @param bits size
	 * @param description for people
	 */
	record KeyFacts(String algorithm, int bits, String description) {
	}

}
