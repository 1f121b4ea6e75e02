package org.certflow.delivery;

import java.util.Map;

/**
 * Out-port for mail to staff: the officers' digest, queued through the same outbox as
 * mail to applicants (sent after commit, retried through SMTP outages, FAILED visible to
 * RA admins), but belonging to no request.
 */
public interface OfficerMail {

	/**
	 * Queues an officer's digest in the caller's transaction.
	 * @param recipient the officer's mailbox
	 * @param values the values of {@code templates/mail/officer-digest.txt}: name, group,
	 * newTasks, openTasks, oldestSince, tasklist, interval
	 */
	void sendOfficerDigest(String recipient, Map<String, Object> values);

	/**
	 * Queues an RA admin's list of certificates that expire soon.
	 * @param recipient the admin's mailbox
	 * @param values the values of {@code templates/mail/expiry-digest.txt}: name,
	 * horizonDays, count, lines
	 */
	void sendExpiryDigest(String recipient, Map<String, Object> values);

}
