package org.certflow.delivery;

import java.time.Instant;

/**
 * A mail in the outbox as an RA admin sees it: everything but its body, which holds the
 * applicant's link, code or PIN.
 *
 * @param mailId the mail's id
 * @param requestId the certificate request it belongs to
 * @param kind what the mail is
 * @param recipient the applicant's mailbox
 * @param status where it stands
 * @param attempts failed or successful attempts to hand it to the SMTP server (since the
 * last retry by an admin)
 * @param lastError why the last attempt failed, if it did
 * @param createdAt when it was queued
 * @param nextAttemptAt when it is tried next, while pending
 * @param sentAt when the SMTP server accepted it
 * @param failedAt when delivery was given up
 */
public record QueuedMail(String mailId, String requestId, MailKind kind, String recipient, MailStatus status,
		int attempts, String lastError, Instant createdAt, Instant nextAttemptAt, Instant sentAt, Instant failedAt) {

}
