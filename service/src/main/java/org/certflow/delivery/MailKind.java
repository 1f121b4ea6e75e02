package org.certflow.delivery;

/** The mails an applicant receives. */
public enum MailKind {

	/** The application link (holds the invitation token). */
	INVITATION(true),
	/** The activation link and PIN (hold the activation code and PIN). */
	ACTIVATION(true),
	/** The application was not approved. */
	REJECTION(false),
	/** The invitation or activation ran out. */
	EXPIRY(false);

	private final boolean newestOnly;

	MailKind(boolean newestOnly) {
		this.newestOnly = newestOnly;
	}

	/**
	 * Whether a newer mail of this kind for the same request makes an unsent older one
	 * useless: it carries a capability that the newer mail's one has replaced.
	 * @return true for mails that carry a token, code or PIN
	 */
	boolean newestOnly() {
		return this.newestOnly;
	}

}
