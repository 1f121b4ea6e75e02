package org.certflow.delivery;

/** Where a mail in the outbox stands. */
public enum MailStatus {

	/** Waiting to be sent, first time or after a failed attempt. */
	PENDING,
	/** Accepted by the SMTP server; its body is wiped. */
	SENT,
	/**
	 * Retried for certflow.mail.delivery.give-up-after without success; an RA admin may
	 * retry it.
	 */
	FAILED,
	/**
	 * A newer mail for the same request (a resent invitation or activation, or the expiry
	 * notice) replaced it before it went out; its link no longer worked, so it was never
	 * sent and its body is wiped.
	 */
	SUPERSEDED

}
