package org.certflow.ca;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One certificate class. The CA grants exactly what the profile says and nothing a CSR
 * asks for.
 *
 * @param name the profile name the RA passes in {@link IssuanceRequest#profile()}
 * @param validity how long certificates of this class are valid (cut at the issuer's
 * notAfter)
 * @param extendedKeyUsages EKU purposes as dotted OIDs; anyExtendedKeyUsage is never
 * allowed
 * @param allowEd25519 whether subscribers of this class may use Ed25519 keys
 * @param smimeValidation which CA/B Forum S/MIME Baseline Requirements certificate type
 * the profile's certificates are, by what the RA validates; {@link SmimeValidation#NONE}
 * for a class that is not S/MIME
 */
public record IssuanceProfile(String name, Duration validity, List<String> extendedKeyUsages, boolean allowEd25519,
		SmimeValidation smimeValidation) {

	/** id-kp-emailProtection. */
	public static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

	/** id-kp-clientAuth. */
	public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	/** id-kp-serverAuth. */
	public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	/**
	 * The longest a TLS server certificate may be valid: 200 days, the CA/Browser Forum
	 * TLS Baseline Requirements' limit since 15 March 2026 (ballot SC-081).
	 */
	public static final Duration MAX_TLS_SERVER_VALIDITY = Duration.ofDays(200);

	static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

	public IssuanceProfile {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(validity, "validity");
		Objects.requireNonNull(smimeValidation, "smimeValidation");
		extendedKeyUsages = List.copyOf(extendedKeyUsages);
	}

	/**
	 * A profile of the default S/MIME type, {@link SmimeValidation#INDIVIDUAL}.
	 * @param name the profile name
	 * @param validity how long certificates of this class are valid
	 * @param extendedKeyUsages EKU purposes as dotted OIDs
	 * @param allowEd25519 whether subscribers of this class may use Ed25519 keys
	 */
	public IssuanceProfile(String name, Duration validity, List<String> extendedKeyUsages, boolean allowEd25519) {
		this(name, validity, extendedKeyUsages, allowEd25519, SmimeValidation.INDIVIDUAL);
	}

	/**
	 * The S/MIME BR policy the certificates assert beside the CA's own, so that relying
	 * parties and linters (zlint's CABF_SMIME_BR lints) apply the S/MIME rules. The
	 * generation follows from the EKUs: strict when emailProtection is the only purpose,
	 * multipurpose while others (client authentication) are granted. The legacy
	 * generation is not offered: the BR stopped it for new certificates in July 2025.
	 * @return the dotted OID, empty for a class that is not S/MIME or has no
	 * emailProtection
	 */
	public java.util.Optional<String> smimePolicyOid() {
		if (this.smimeValidation == SmimeValidation.NONE || !this.extendedKeyUsages.contains(EMAIL_PROTECTION)) {
			return java.util.Optional.empty();
		}
		boolean strict = this.extendedKeyUsages.equals(List.of(EMAIL_PROTECTION));
		return java.util.Optional.of(this.smimeValidation.policyArc + (strict ? ".3" : ".2"));
	}

	/**
	 * The certificate types of the S/MIME Baseline Requirements (section 7.1.6.1), by
	 * what is validated about the subscriber; each allows different subject attributes
	 * (7.1.4.2.2). The BR's mailbox-validated type is not offered: its subject may hold
	 * only the mailbox, and CertFlow's subject names the person (CN = full name), whom an
	 * officer has identified.
	 */
	public enum SmimeValidation {

		/**
		 * The person's identity is validated (an officer checks it); the subject may name
		 * the person, but no organisation.
		 */
		INDIVIDUAL("2.23.140.1.5.4"),

		/**
		 * The person is validated as affiliated with a validated organisation, which the
		 * subject names (organizationName).
		 */
		SPONSOR("2.23.140.1.5.3"),

		/** Not an S/MIME certificate under the BR: no S/MIME policy is asserted. */
		NONE(null);

		final String policyArc;

		SmimeValidation(String policyArc) {
			this.policyArc = policyArc;
		}

	}

	/**
	 * Whether this is a TLS server profile: its certificates name a host (subject CN and
	 * one dNSName), never a mailbox. Such a profile grants serverAuth and nothing else
	 * (see {@code CaSettings}), so a certificate is either a person's or a server's.
	 * @return whether the profile grants serverAuth
	 */
	public boolean tlsServer() {
		return this.extendedKeyUsages.contains(SERVER_AUTH);
	}

	/**
	 * The {@code tls-server} profile: a TLS server certificate for one host name, valid
	 * for 90 days. CertFlow's embedded default issues its own HTTPS certificate with it.
	 * @return the profile
	 */
	public static IssuanceProfile tlsServerProfile() {
		return new IssuanceProfile("tls-server", Duration.ofDays(90), List.of(SERVER_AUTH), false,
				SmimeValidation.NONE);
	}

	/**
	 * The {@code standard} class: S/MIME signing and encryption plus TLS client
	 * authentication for one mailbox, valid for a year.
	 * @return the profile
	 */
	public static IssuanceProfile standard() {
		return new IssuanceProfile("standard", Duration.ofDays(365), List.of(EMAIL_PROTECTION, CLIENT_AUTH), true);
	}

}
