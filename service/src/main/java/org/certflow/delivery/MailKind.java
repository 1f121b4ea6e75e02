package org.certflow.delivery;

import java.util.List;

/** The mails CertFlow sends: to applicants, and the officers' digest. */
public enum MailKind {

	/** The application link (holds the invitation token). */
	INVITATION,
	/** The activation link and PIN (hold the activation code and PIN). */
	ACTIVATION,
	/** The application was not approved. */
	REJECTION,
	/** The request waits (deferred), and until when. */
	DEFERRAL,
	/** The invitation or activation ran out. */
	EXPIRY,
	/**
	 * To an officer: new work reached the queue. Belongs to no request; at most one per
	 * interval and queue (see {@link OfficerMail}).
	 */
	OFFICER_DIGEST,
	/** An RA admin cancelled the request. */
	CANCELLATION,
	/** The application was received; holds the status link. */
	CONFIRMATION,
	/**
	 * To a holder: the certificate expires soon; its renewal invitation follows as an
	 * INVITATION of the new request.
	 */
	EXPIRY_NOTICE,
	/** To an RA admin: the certificates that expire in the coming weeks. */
	EXPIRY_DIGEST;

	/**
	 * The kinds of unsent mail for the same request that a new mail of this kind makes
	 * useless: their token, code or PIN no longer works once this one is queued (a resent
	 * invitation draws a new token, a resent activation a new code and PIN, an expiry
	 * ends both, and so does a cancellation).
	 * @return the kinds to supersede
	 */
	List<MailKind> supersedes() {
		return switch (this) {
			case INVITATION -> List.of(INVITATION);
			case ACTIVATION -> List.of(ACTIVATION);
			// A newer deferral replaces an unsent one: only the latest date is true.
			case DEFERRAL -> List.of(DEFERRAL);
			case EXPIRY, CANCELLATION -> List.of(INVITATION, ACTIVATION, DEFERRAL);
			case REJECTION, OFFICER_DIGEST, CONFIRMATION, EXPIRY_NOTICE, EXPIRY_DIGEST -> List.of();
		};
	}

}
