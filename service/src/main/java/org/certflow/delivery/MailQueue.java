package org.certflow.delivery;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.certflow.request.RequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * In-port: RA admins look at the mail outbox, above all at mail that could not be
 * delivered, and send a failed mail again. Bodies never leave the outbox this way.
 */
@Service
public class MailQueue {

	/** The largest page an admin may ask for. */
	public static final int MAX_PAGE_SIZE = 100;

	private static final Logger log = LoggerFactory.getLogger(MailQueue.class);

	private final MailOutbox outbox;

	private final MailDispatcher dispatcher;

	private final Clock clock;

	MailQueue(MailOutbox outbox, MailDispatcher dispatcher, Clock clock) {
		this.outbox = outbox;
		this.dispatcher = dispatcher;
		this.clock = clock;
	}

	/**
	 * One page of mails, newest first.
	 * @param status PENDING, SENT, FAILED or SUPERSEDED; null or blank for all
	 * @param page page number, from 0
	 * @param size mails per page, 1 to {@value #MAX_PAGE_SIZE}
	 * @return the page
	 */
	public MailPage list(String status, int page, int size) {
		MailStatus wanted = status(status);
		if (page < 0) {
			throw new RequestException(RequestException.Kind.INVALID, "page must be 0 or more, not " + page + ".");
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new RequestException(RequestException.Kind.INVALID,
					"size must be between 1 and " + MAX_PAGE_SIZE + ", not " + size + ".");
		}
		return new MailPage(this.outbox.list(wanted, page, size), page, size, this.outbox.count(wanted));
	}

	/**
	 * Puts a FAILED mail back for sending at once, with a fresh retry period.
	 * @param mailId the mail
	 * @param retriedBy the RA admin
	 * @return the mail, now PENDING
	 */
	public QueuedMail retry(String mailId, String retriedBy) {
		String id = mailId(mailId);
		if (!this.outbox.retry(id, this.clock.instant())) {
			QueuedMail mail = this.outbox.find(id)
				.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
						"There is no mail with id '" + id + "'."));
			throw new RequestException(RequestException.Kind.CONFLICT, switch (mail.status()) {
				case SENT -> "Mail " + id + " was already sent at " + mail.sentAt() + "; it is not sent twice.";
				case PENDING -> "Mail " + id + " is still being retried; the next attempt is at " + mail.nextAttemptAt()
						+ ". Only a FAILED mail can be retried.";
				case SUPERSEDED -> "Mail " + id + " was replaced by a newer mail for request " + mail.requestId()
						+ "; its link no longer works, so it is not sent.";
				case FAILED -> "Mail " + id + " changed at the same time; try again.";
			});
		}
		log.info("Mail {} put back for sending by {}", id, retriedBy);
		this.dispatcher.sendSoon(id);
		return this.outbox.find(id).orElseThrow();
	}

	private static MailStatus status(String status) {
		if (status == null || status.isBlank()) {
			return null;
		}
		try {
			return MailStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new RequestException(RequestException.Kind.INVALID, "Unknown mail status '" + status
					+ "'. Use one of " + Arrays.toString(MailStatus.values()) + ", or leave it out for all.");
		}
	}

	private static String mailId(String mailId) {
		try {
			UUID id = UUID.fromString((mailId != null) ? mailId : "");
			if (id.toString().equalsIgnoreCase(mailId)) {
				return id.toString();
			}
		}
		catch (IllegalArgumentException ex) {
			// not a UUID: refused below, with what a mail id looks like
		}
		throw new RequestException(RequestException.Kind.INVALID,
				"'" + mailId + "' is not a mail id; a mail id is a UUID as listed by GET /api/v1/mail.");
	}

	/**
	 * A page of mails.
	 *
	 * @param mails the mails on this page, newest first
	 * @param page the page number, from 0
	 * @param size the page size asked for
	 * @param total how many mails match in all
	 */
	public record MailPage(List<QueuedMail> mails, int page, int size, long total) {
	}

}
