package org.certflow.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The billing outbox: one row per billable event, written in the transaction that records
 * the issuance or revocation, claimed by a node before it is sent so that any number of
 * nodes can send at once.
 */
@Repository
class BillingLedger {

	private static final String COLUMNS = "event_id, kind, request_id, certificate_class, billing_code, issuer_dn, "
			+ "serial_hex, reason, occurred_at, status, attempts, next_attempt_at, sent_at, last_error, idempotency_key";

	private static final RowMapper<BillingEvent> EVENT = BillingLedger::event;

	private final JdbcTemplate jdbc;

	BillingLedger(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Writes an event unless one with its key exists: a retried step writes nothing
	 * twice.
	 * @return whether a row was written
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	boolean record(String key, String kind, String requestId, String certificateClass, String billingCode,
			String issuerDn, String serialHex, String reason, Instant occurredAt) {
		Integer existing = this.jdbc.queryForObject("select count(*) from billing_event where idempotency_key = ?",
				Integer.class, key);
		if (existing != null && existing > 0) {
			return false;
		}
		Timestamp at = Timestamp.from(occurredAt);
		this.jdbc.update(
				"insert into billing_event (event_id, idempotency_key, kind, request_id, certificate_class, "
						+ "billing_code, issuer_dn, serial_hex, reason, occurred_at, status, attempts, pending_since, "
						+ "next_attempt_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
				UUID.randomUUID().toString(), key, kind, requestId, certificateClass, billingCode, issuerDn, serialHex,
				reason, at, at, at);
		return true;
	}

	/**
	 * What is billed for the certificate of a request: found through the CA's journal
	 * (issuer and serial as signed) and the request's class.
	 * @param requestId the request
	 * @return the certificate, when the journal holds one for the request
	 */
	Optional<Billable> billableByRequest(String requestId) {
		return billable("r.request_id = ?", requestId);
	}

	/**
	 * @param serialHex the serial as the RA records it (lowercase hex)
	 * @return the certificate, when the RA recorded one with this serial
	 */
	Optional<Billable> billableBySerial(String serialHex) {
		return billable("r.certificate_serial = ?", serialHex);
	}

	private Optional<Billable> billable(String condition, String value) {
		return this.jdbc
			.query("select i.issuer, r.certificate_serial, r.request_id, r.certificate_class, c.billing_code, "
					+ "i.issued_at from certificate_request r join issued_certificate i on i.request_id = r.request_id "
					+ "join certificate_class c on c.name = r.certificate_class where " + condition
					+ " and r.certificate_serial is not null",
					(rs, row) -> new Billable(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getTimestamp(6).toInstant()),
					value)
			.stream()
			.findFirst();
	}

	List<String> due(Instant now, int limit) {
		return this.jdbc
			.queryForList(
					"select event_id from billing_event where status = 'PENDING' and next_attempt_at <= ? "
							+ "and (claimed_until is null or claimed_until < ?) order by next_attempt_at "
							+ "fetch first " + limit + " rows only",
					String.class, Timestamp.from(now), Timestamp.from(now));
	}

	/**
	 * @return the event, when this node got it
	 */
	@Transactional
	Optional<Claimed> claim(String eventId, String claimId, Instant now, Instant until) {
		int claimed = this.jdbc.update(
				"update billing_event set claimed_by = ?, claimed_until = ? where event_id = ? and status = 'PENDING' "
						+ "and next_attempt_at <= ? and (claimed_until is null or claimed_until < ?)",
				claimId, Timestamp.from(until), eventId, Timestamp.from(now), Timestamp.from(now));
		if (claimed != 1) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select " + COLUMNS + ", pending_since from billing_event where event_id = ?",
					(rs, row) -> new Claimed(event(rs, row), rs.getTimestamp(16).toInstant()), eventId)
			.stream()
			.findFirst();
	}

	/**
	 * @return false when the claim had expired and another node took the event over
	 */
	@Transactional
	boolean sent(String eventId, String claimId, int attempts, Instant now) {
		return this.jdbc
			.update("update billing_event set status = 'SENT', attempts = ?, sent_at = ?, last_error = null, "
					+ "next_attempt_at = null, claimed_by = null, claimed_until = null where event_id = ? and claimed_by = ?",
					attempts, Timestamp.from(now), eventId, claimId) == 1;
	}

	/**
	 * @param next the next attempt, or null to mark the event FAILED
	 */
	@Transactional
	boolean attemptFailed(String eventId, String claimId, int attempts, String error, Instant next, Instant now) {
		return this.jdbc.update(
				"update billing_event set status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, failed_at = ?, "
						+ "claimed_by = null, claimed_until = null where event_id = ? and claimed_by = ?",
				(next != null) ? BillingEvent.PENDING : BillingEvent.FAILED, attempts, error,
				(next != null) ? Timestamp.from(next) : null, (next != null) ? null : Timestamp.from(now), eventId,
				claimId) == 1;
	}

	@Transactional
	boolean retry(String eventId, Instant now) {
		return this.jdbc.update(
				"update billing_event set status = 'PENDING', attempts = 0, pending_since = ?, "
						+ "next_attempt_at = ?, failed_at = null where event_id = ? and status = 'FAILED'",
				Timestamp.from(now), Timestamp.from(now), eventId) == 1;
	}

	Optional<BillingEvent> find(String eventId) {
		return this.jdbc.query("select " + COLUMNS + " from billing_event where event_id = ?", EVENT, eventId)
			.stream()
			.findFirst();
	}

	List<BillingEvent> list(String status, int page, int size) {
		String where = (status != null) ? " where status = ?" : "";
		Object[] args = (status != null) ? new Object[] { status } : new Object[0];
		return this.jdbc
			.query("select " + COLUMNS + " from billing_event" + where + " order by occurred_at desc, event_id offset "
					+ ((long) page * size) + " rows fetch next " + size + " rows only", EVENT, args);
	}

	long count(String status) {
		Long count = (status != null)
				? this.jdbc.queryForObject("select count(*) from billing_event where status = ?", Long.class, status)
				: this.jdbc.queryForObject("select count(*) from billing_event", Long.class);
		return (count != null) ? count : 0;
	}

	/** Streams the events of a period, oldest first, to the consumer. */
	void forEachInPeriod(Instant from, Instant to, java.util.function.Consumer<BillingEvent> consumer) {
		this.jdbc.query("select " + COLUMNS + " from billing_event where occurred_at >= ? and occurred_at < ? "
				+ "order by occurred_at, event_id", (ResultSet rs) -> {
					consumer.accept(event(rs, 0));
				}, Timestamp.from(from), Timestamp.from(to));
	}

	private static BillingEvent event(ResultSet rs, int row) throws SQLException {
		return new BillingEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getString(7), rs.getString(8), instant(rs.getTimestamp(9)), rs.getString(10),
				rs.getInt(11), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), rs.getString(14),
				rs.getString(15));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A certificate as billing sees it.
	 *
	 * @param issuerDn the issuing CA
	 * @param serialHex the serial, lowercase hex
	 * @param requestId the request
	 * @param certificateClass the request's class
	 * @param billingCode the class's billing code, if it has one
	 * @param issuedAt when it was signed
	 */
	record Billable(String issuerDn, String serialHex, String requestId, String certificateClass, String billingCode,
			Instant issuedAt) {
	}

	/**
	 * An event claimed for sending.
	 *
	 * @param event the event
	 * @param pendingSince since when it has been retried
	 */
	record Claimed(BillingEvent event, Instant pendingSince) {
	}

}
