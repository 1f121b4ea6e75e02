package org.certflow.ca;

/**
 * A revocation, suspension or unsuspension that the CA will not carry out.
 * {@link #kind()} lets an HTTP layer choose the status (404 for an unknown certificate,
 * 409 for a state conflict, 400 for a reason that is not allowed).
 */
public class RevocationRefusedException extends RuntimeException {

	/** Why the change was refused. */
	public enum Kind {

		/** This CA issued no certificate with that serial. */
		UNKNOWN_CERTIFICATE,

		/** The certificate is already revoked for good. */
		ALREADY_REVOKED,

		/** Unsuspend was asked for a certificate that is not on hold. */
		NOT_ON_HOLD,

		/**
		 * The reason cannot be used here (certificateHold through revoke, CA reasons for
		 * subscribers).
		 */
		REASON_NOT_ALLOWED,

		/**
		 * Another node kept changing the certificate's status while this change was
		 * decided; nothing was changed, and the caller may try again.
		 */
		CHANGED_CONCURRENTLY

	}

	private final Kind kind;

	public RevocationRefusedException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

}
