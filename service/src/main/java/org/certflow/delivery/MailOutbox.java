package org.certflow.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mail outbox on our database (table of V6__mail_outbox.sql). A mail is added in the
 * caller's transaction, so it exists exactly when the token, code or status it announces
 * has committed. Everything the dispatcher writes commits on its own and is conditional
 * on the row's state, so that nodes racing for the same mail cannot both own it.
 */
@Component
class MailOutbox {

	private static final String VIEW_COLUMNS = "mail_id, request_id, kind, recipient, status, attempts, last_error, "
			+ "created_at, next_attempt_at, sent_at, failed_at";

	private static final RowMapper<QueuedMail> VIEW = MailOutbox::view;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final MailBodySeal seal;

	MailOutbox(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, MailBodySeal seal) {
		this.jdbc = jdbc;
		this.seal = seal;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Queues a mail in the caller's transaction. A mail that carries a capability
	 * replaces any unsent one of its kind for the same request: that one's link stopped
	 * working in this same transaction, and sending it would only confuse the applicant.
	 * @return the new mail's id
	 */
	String add(String requestId, MailKind kind, String recipient, String subject, String body, Instant now) {
		for (MailKind replaced : kind.supersedes()) {
			this.jdbc
				.update("update mail_outbox set status = 'SUPERSEDED', body = null where request_id = ? and kind = ? "
						+ "and status in ('PENDING', 'FAILED')", requestId, replaced.name());
		}
		String mailId = UUID.randomUUID().toString();
		Timestamp at = Timestamp.from(now);
		this.jdbc.update("insert into mail_outbox (mail_id, request_id, kind, recipient, subject, body, status, "
				+ "attempts, pending_since, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
				mailId, requestId, kind.name(), recipient, subject, this.seal.seal(mailId, body), at, at, at);
		return mailId;
	}

	/** Ids of pending mails that are due and owned by no live claim, oldest first. */
	List<String> due(Instant now, int limit) {
		Timestamp at = Timestamp.from(now);
		return this.jdbc.queryForList(
				"select mail_id from mail_outbox where status = 'PENDING' and next_attempt_at <= ? "
						+ "and (claimed_until is null or claimed_until <= ?) order by next_attempt_at limit ?",
				String.class, at, at, limit);
	}

	/**
	 * Takes a due mail for sending until {@code until}. The update is conditional on the
	 * mail being pending, due and unclaimed (or its claim expired), and the database runs
	 * it under a row lock: of two nodes that race, exactly one gets the row.
	 * @return the claimed mail, or empty when another node has it or it is not due
	 */
	Optional<ClaimedMail> claim(String mailId, String claimId, Instant now, Instant until) {
		Timestamp at = Timestamp.from(now);
		return this.ownTransaction.execute((status) -> {
			int claimed = this.jdbc.update(
					"update mail_outbox set claimed_by = ?, claimed_until = ? where mail_id = ? and status = 'PENDING' "
							+ "and next_attempt_at <= ? and (claimed_until is null or claimed_until <= ?)",
					claimId, Timestamp.from(until), mailId, at, at);
			if (claimed != 1) {
				return Optional.empty();
			}
			return this.jdbc
				.query("select mail_id, request_id, kind, recipient, subject, body, attempts, pending_since "
						+ "from mail_outbox where mail_id = ?", MailOutbox::claimed, mailId)
				.stream()
				.findFirst();
		});
	}

	/**
	 * Records that the SMTP server took the mail and wipes its body: once sent, the link,
	 * code or PIN lives only in the applicant's mailbox. A mail superseded while it was
	 * on its way is recorded as SENT too, since it was.
	 * @return false when the claim was lost meanwhile (expired and taken by another node)
	 */
	boolean sent(String mailId, String claimId, int attempts, Instant now) {
		return this.ownTransaction.execute((status) -> this.jdbc.update(
				"update mail_outbox set status = 'SENT', body = null, attempts = ?, sent_at = ?, last_error = null, "
						+ "claimed_by = null, claimed_until = null where mail_id = ? and claimed_by = ? "
						+ "and status in ('PENDING', 'SUPERSEDED')",
				attempts, Timestamp.from(now), mailId, claimId)) == 1;
	}

	/**
	 * Records a failed attempt: either the next one is scheduled, or delivery is given up
	 * ({@code nextAttemptAt} null) and the mail becomes FAILED.
	 * @return false when the claim was lost meanwhile
	 */
	boolean attemptFailed(String mailId, String claimId, int attempts, String error, Instant nextAttemptAt,
			Instant now) {
		boolean giveUp = nextAttemptAt == null;
		return this.ownTransaction.execute((status) -> this.jdbc.update(
				"update mail_outbox set status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, failed_at = ?, "
						+ "claimed_by = null, claimed_until = null where mail_id = ? and claimed_by = ? "
						+ "and status = 'PENDING'",
				giveUp ? MailStatus.FAILED.name() : MailStatus.PENDING.name(), attempts, error,
				Timestamp.from(giveUp ? now : nextAttemptAt), giveUp ? Timestamp.from(now) : null, mailId,
				claimId)) == 1;
	}

	/**
	 * Puts a FAILED mail back for sending at once, with a fresh retry period.
	 * @return false when the mail is not FAILED (any more)
	 */
	boolean retry(String mailId, Instant now) {
		Timestamp at = Timestamp.from(now);
		return this.ownTransaction.execute((status) -> this.jdbc
			.update("update mail_outbox set status = 'PENDING', attempts = 0, pending_since = ?, next_attempt_at = ?, "
					+ "failed_at = null, claimed_by = null, claimed_until = null where mail_id = ? "
					+ "and status = 'FAILED'", at, at, mailId)) == 1;
	}

	Optional<QueuedMail> find(String mailId) {
		return this.jdbc.query("select " + VIEW_COLUMNS + " from mail_outbox where mail_id = ?", VIEW, mailId)
			.stream()
			.findFirst();
	}

	/** One page of mails, newest first; all of them when {@code status} is null. */
	List<QueuedMail> list(MailStatus status, int page, int size) {
		List<Object> arguments = new ArrayList<>();
		String where = "";
		if (status != null) {
			where = " where status = ?";
			arguments.add(status.name());
		}
		arguments.add(size);
		arguments.add((long) page * size);
		return this.jdbc.query("select " + VIEW_COLUMNS + " from mail_outbox" + where
				+ " order by created_at desc, mail_id limit ? offset ?", VIEW, arguments.toArray());
	}

	long count(MailStatus status) {
		Long count = (status != null) ? this.jdbc.queryForObject("select count(*) from mail_outbox where status = ?",
				Long.class, status.name()) : this.jdbc.queryForObject("select count(*) from mail_outbox", Long.class);
		return (count != null) ? count : 0;
	}

	private static QueuedMail view(ResultSet rs, int row) throws SQLException {
		return new QueuedMail(rs.getString("mail_id"), rs.getString("request_id"),
				MailKind.valueOf(rs.getString("kind")), rs.getString("recipient"),
				MailStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
				instant(rs, "created_at"),
				"PENDING".equals(rs.getString("status")) ? instant(rs, "next_attempt_at") : null,
				instant(rs, "sent_at"), instant(rs, "failed_at"));
	}

	/**
	 * The text of a claimed mail, opened from its sealed form. Opened only when it is
	 * handed to the SMTP server, so a body that does not open (another node's key) counts
	 * as a failed attempt and ends, like any other, listed for RA admins.
	 */
	String text(ClaimedMail mail) {
		return this.seal.open(mail.mailId(), mail.body());
	}

	private static ClaimedMail claimed(ResultSet rs, int row) throws SQLException {
		return new ClaimedMail(rs.getString("mail_id"), rs.getString("request_id"),
				MailKind.valueOf(rs.getString("kind")), rs.getString("recipient"), rs.getString("subject"),
				rs.getString("body"), rs.getInt("attempts"), instant(rs, "pending_since"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp at = rs.getTimestamp(column);
		return (at != null) ? at.toInstant() : null;
	}

	/** A mail this node owns for sending, its body still sealed. */
	record ClaimedMail(String mailId, String requestId, MailKind kind, String recipient, String subject, String body,
			int attempts, Instant pendingSince) {

		@Override
		public String toString() {
			return "ClaimedMail[mailId=" + this.mailId + ", requestId=" + this.requestId + ", kind=" + this.kind
					+ ", body=(hidden)]";
		}

	}

}
