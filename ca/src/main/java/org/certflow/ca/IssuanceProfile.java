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
 */
public record IssuanceProfile(String name, Duration validity, List<String> extendedKeyUsages, boolean allowEd25519) {

	/** id-kp-emailProtection. */
	public static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

	/** id-kp-clientAuth. */
	public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

	public IssuanceProfile {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(validity, "validity");
		extendedKeyUsages = List.copyOf(extendedKeyUsages);
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
