package org.certflow.delivery;

import java.util.List;

/** The mails an applicant receives. */
public enum MailKind {

	/** The application link (holds the invitation token). */
	INVITATION,
	/** The activation link and PIN (hold the activation code and PIN). */
	ACTIVATION,
	/** The application was not approved. */
	REJECTION,
	/** The invitation or activation ran out. */
	EXPIRY,
	/** An RA admin cancelled the request. */
	CANCELLATION;

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
			case EXPIRY, CANCELLATION -> List.of(INVITATION, ACTIVATION);
			case REJECTION -> List.of();
		};
	}

}
