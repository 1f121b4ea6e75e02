package org.certflow.audit;

/**
 * One entry of the CA's audit trail, before it is numbered and chained.
 *
 * @param type what happened
 * @param issuer issuer DN (RFC 2253) of the certificate concerned
 * @param serialHex its serial, lowercase hex
 * @param requestId the certificate request, when known
 * @param detail the rest in plain text ({@code key=value; ...}): profile, hashes, reasons
 * @param document the linted TBSCertificate for {@link Type#ABOUT_TO_SIGN}, else
 * {@code null}
 */
public record AuditEvent(Type type, String issuer, String serialHex, String requestId, String detail, byte[] document) {

	/** What the CA did, in the words an auditor reads. */
	public enum Type {

		/** A serial was reserved for this TBSCertificate, which the CA key signs next. */
		ABOUT_TO_SIGN,

		/** The certificate was signed and recorded. */
		SIGNED,

		/**
		 * A reserved serial will never be used (signing failed, lint refused, signer
		 * died).
		 */
		SERIAL_BURNED,

		/** Revoked, or its reason changed. */
		REVOKED,

		/** Put on hold (certificateHold). */
		SUSPENDED,

		/** Taken off hold. */
		UNSUSPENDED

	}

}
