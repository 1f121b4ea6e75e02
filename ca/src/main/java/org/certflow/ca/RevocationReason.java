package org.certflow.ca;

/**
 * RFC 5280 section 5.3.1 CRLReason codes that a subscriber or operator may give. Code 7
 * is unassigned and removeFromCRL (8) only exists in delta CRLs, so neither is here.
 */
public enum RevocationReason {

	UNSPECIFIED(0, "unspecified"),

	KEY_COMPROMISE(1, "keyCompromise"),

	CA_COMPROMISE(2, "cACompromise"),

	AFFILIATION_CHANGED(3, "affiliationChanged"),

	SUPERSEDED(4, "superseded"),

	CESSATION_OF_OPERATION(5, "cessationOfOperation"),

	CERTIFICATE_HOLD(6, "certificateHold"),

	PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),

	AA_COMPROMISE(10, "aACompromise");

	private final int code;

	private final String rfcName;

	RevocationReason(int code, String rfcName) {
		this.code = code;
		this.rfcName = rfcName;
	}

	/**
	 * The CRLReason code as it appears in CRLs and OCSP responses.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The ASN.1 name from RFC 5280, e.g. {@code keyCompromise}; this is what the REST API
	 * takes.
	 * @return the name
	 */
	public String rfcName() {
		return this.rfcName;
	}

	/**
	 * Parses an RFC 5280 name ({@code keyCompromise}) or enum name
	 * ({@code KEY_COMPROMISE}), ignoring case.
	 * @param text the reason
	 * @return the reason
	 * @throws IllegalArgumentException for anything else
	 */
	public static RevocationReason parse(String text) {
		if (text != null) {
			String t = text.trim();
			for (RevocationReason r : values()) {
				if (r.rfcName.equalsIgnoreCase(t) || r.name().equalsIgnoreCase(t.replace('-', '_'))) {
					return r;
				}
			}
		}
		throw new IllegalArgumentException("unknown revocation reason '" + text + "'; use one of "
				+ java.util.Arrays.stream(values()).map(RevocationReason::rfcName).toList());
	}

	public static RevocationReason ofCode(int code) {
		for (RevocationReason r : values()) {
			if (r.code == code) {
				return r;
			}
		}
		throw new IllegalArgumentException("unknown CRLReason code " + code);
	}

}
