package org.certflow.ca;

/**
 * Key types the CA itself may hold. Elliptic curves are the default because Bouncy Castle
 * signs with them far faster than with RSA of comparable strength, and every current
 * S/MIME client accepts ECDSA chains.
 */
public enum CaKeyAlgorithm {

	RSA_2048("RSA", 2048, "SHA256withRSA"),

	RSA_3072("RSA", 3072, "SHA256withRSA"),

	RSA_4096("RSA", 4096, "SHA384withRSA"),

	EC_P256("EC", 256, "SHA256withECDSA"),

	EC_P384("EC", 384, "SHA384withECDSA"),

	EC_P521("EC", 521, "SHA512withECDSA"),

	ED25519("Ed25519", 255, "Ed25519");

	private final String jcaName;

	private final int bits;

	private final String signatureAlgorithm;

	CaKeyAlgorithm(String jcaName, int bits, String signatureAlgorithm) {
		this.jcaName = jcaName;
		this.bits = bits;
		this.signatureAlgorithm = signatureAlgorithm;
	}

	String jcaName() {
		return this.jcaName;
	}

	int bits() {
		return this.bits;
	}

	/**
	 * The signature algorithm a CA key of this type signs certificates, CRLs and OCSP
	 * responses with; the hash matches the curve's strength so the weaker part is never
	 * the hash.
	 * @return JCA signature algorithm name
	 */
	String signatureAlgorithm() {
		return this.signatureAlgorithm;
	}

	String curveName() {
		return switch (this) {
			case EC_P256 -> "secp256r1";
			case EC_P384 -> "secp384r1";
			case EC_P521 -> "secp521r1";
			default -> null;
		};
	}

	/**
	 * Reads a setting value such as {@code EC_P256}, {@code ec-p256} or {@code P-256}.
	 * @param value the configured text
	 * @return the algorithm
	 * @throws IllegalArgumentException when the value names no supported algorithm
	 */
	public static CaKeyAlgorithm parse(String value) {
		String v = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
		for (CaKeyAlgorithm a : values()) {
			if (a.name().equals(v) || a.name().equals("EC_" + v) || a.name().equals("RSA_" + v)) {
				return a;
			}
		}
		throw new IllegalArgumentException("unsupported CA key algorithm '" + value + "'");
	}

	/**
	 * The signature algorithm for a CA key of unknown origin (imported from a token or
	 * file).
	 * @param key the CA's public key
	 * @return JCA signature algorithm name
	 */
	static String signatureAlgorithmFor(java.security.PublicKey key) {
		if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
			return (rsa.getModulus().bitLength() > 3072) ? "SHA384withRSA" : "SHA256withRSA";
		}
		if (key instanceof java.security.interfaces.ECPublicKey ec) {
			int bits = ec.getParams().getOrder().bitLength();
			return (bits > 384) ? "SHA512withECDSA" : (bits > 256) ? "SHA384withECDSA" : "SHA256withECDSA";
		}
		String alg = key.getAlgorithm();
		if ("Ed25519".equalsIgnoreCase(alg) || "EdDSA".equalsIgnoreCase(alg)) {
			return "Ed25519";
		}
		throw new IllegalArgumentException("unsupported CA key type " + alg);
	}

}
