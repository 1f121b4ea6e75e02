package org.certflow.ca;

/**
 * Why the CA refused a request. Each refusal names one reason; the RA maps them to client
 * errors.
 */
public enum RefusalReason {

	/** Not a PEM block, wrong label, several blocks, or text around it. */
	MALFORMED_PEM,

	/** The DER is not a well-formed PKCS#10 request. */
	MALFORMED_CSR,

	/** The CSR's signature does not verify with the key it carries. */
	BAD_PROOF_OF_POSSESSION,

	/** Key algorithm, size, curve or exponent outside policy. */
	WEAK_KEY,

	/**
	 * The public key is known to be weak or compromised (blocklist, ROCA, close primes).
	 */
	BLOCKED_KEY,

	/** The public key is already certified for another subscriber. */
	DUPLICATE_KEY,

	/** The CSR asks for something the profile never grants (CA:TRUE, extra SANs, ...). */
	PROFILE_VIOLATION,

	/** Validated subject data cannot go into a certificate (length, characters). */
	BAD_SUBJECT,

	/** The profile is unknown. */
	UNKNOWN_PROFILE,

	/** The to-be-signed certificate failed a pre-issuance lint; nothing was signed. */
	LINT_FAILED

}
