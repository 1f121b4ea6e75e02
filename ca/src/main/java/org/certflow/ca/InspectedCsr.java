package org.certflow.ca;

/**
 * What the RA learns from a CSR that passed every check that needs no CA key.
 *
 * @param keyAlgorithm {@code RSA}, {@code EC} or {@code Ed25519}
 * @param keyBits modulus length, curve size, or 256 for Ed25519
 * @param keyDescription for people, e.g. {@code RSA 2048} or {@code ECDSA P-256}
 * @param requestedSubject the CSR's own subject in RFC 2253 form; informational only,
 * never copied
 * @param spkiSha256 SHA-256 of the DER SubjectPublicKeyInfo
 */
public record InspectedCsr(String keyAlgorithm, int keyBits, String keyDescription, String requestedSubject,
		byte[] spkiSha256) {

	public InspectedCsr {
		spkiSha256 = spkiSha256.clone();
	}

	@Override
	public byte[] spkiSha256() {
		return this.spkiSha256.clone();
	}

}
