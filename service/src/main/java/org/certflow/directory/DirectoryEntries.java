package org.certflow.directory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Table {@code directory_entry}: what CertFlow last wrote to the directory for a request
 * or a CA, and whether writing there keeps failing.
 */
@Repository
class DirectoryEntries {

	/** The longest error text kept (the column's length). */
	private static final int MAX_ERROR = 1000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	DirectoryEntries(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	Optional<Stored> find(String itemKey) {
		return this.jdbc
			.query("select state, content_sha256 from directory_entry where item_key = ?",
					(rs, row) -> new Stored(State.valueOf(rs.getString(1)), rs.getString(2)), itemKey)
			.stream()
			.findFirst();
	}

	void published(String itemKey, Kind kind, String entryDn, String contentSha256, Instant now) {
		upsert(itemKey, kind, State.PUBLISHED, now,
				"update directory_entry set state = ?, entry_dn = ?, content_sha256 = ?, published_at = ?, "
						+ "withdrawn_at = null, failed_attempts = 0, failing_since = null, last_failure_at = null, "
						+ "last_error = null where item_key = ?",
				State.PUBLISHED.name(), entryDn, contentSha256, Timestamp.from(now), itemKey);
	}

	void withdrawn(String itemKey, Instant now) {
		this.jdbc.update(
				"update directory_entry set state = ?, withdrawn_at = ?, failed_attempts = 0, "
						+ "failing_since = null, last_failure_at = null, last_error = null where item_key = ?",
				State.WITHDRAWN.name(), Timestamp.from(now), itemKey);
	}

	/** The certificate was no longer good when its publishing step ran. */
	void notPublished(String itemKey, Instant now) {
		upsert(itemKey, Kind.CERTIFICATE, State.NOT_PUBLISHED, now,
				"update directory_entry set state = ?, failed_attempts = 0, failing_since = null, "
						+ "last_failure_at = null, last_error = null where item_key = ?",
				State.NOT_PUBLISHED.name(), itemKey);
	}

	/**
	 * Records a failed attempt in a transaction of its own: the step that failed rolls
	 * back, and what RA admins see must stay.
	 */
	void failed(String itemKey, Kind kind, String error, Instant now) {
		String text = (error.length() > MAX_ERROR) ? error.substring(0, MAX_ERROR) : error;
		Timestamp at = Timestamp.from(now);
		this.ownTransaction.executeWithoutResult((status) -> upsert(itemKey, kind, State.PENDING, now,
				"update directory_entry set failed_attempts = failed_attempts + 1, "
						+ "failing_since = coalesce(failing_since, ?), last_failure_at = ?, last_error = ? "
						+ "where item_key = ?",
				at, at, text, itemKey));
	}

	/**
	 * Runs the update; when there is no row yet, inserts one in the given state and runs
	 * it again (another node may insert at the same moment: then its row is updated).
	 */
	private void upsert(String itemKey, Kind kind, State initial, Instant now, String update, Object... args) {
		if (this.jdbc.update(update, args) > 0) {
			return;
		}
		try {
			this.jdbc.update("insert into directory_entry (item_key, kind, state, failed_attempts) values (?, ?, ?, 0)",
					itemKey, kind.name(), initial.name());
		}
		catch (DuplicateKeyException ex) {
			// Inserted concurrently: update it below.
		}
		this.jdbc.update(update, args);
	}

	List<DirectoryFailure> failures(int limit) {
		return this.jdbc
			.query("select item_key, kind, entry_dn, failed_attempts, failing_since, last_failure_at, last_error "
					+ "from directory_entry where failing_since is not null order by failing_since, item_key",
					(rs, row) -> new DirectoryFailure(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
							rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7)))
			.stream()
			.limit(limit)
			.toList();
	}

	long failureCount() {
		Long count = this.jdbc.queryForObject("select count(*) from directory_entry where failing_since is not null",
				Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Published certificates that are no longer good: revoked (a hold is not a
	 * revocation), or their request expired uncollected or was marked revoked.
	 */
	List<Withdrawal> dueForWithdrawal(int limit) {
		return this.jdbc
			.query("select d.item_key, d.entry_dn, i.der from directory_entry d "
					+ "join issued_certificate i on i.request_id = d.item_key "
					+ "join certificate_request r on r.request_id = d.item_key "
					+ "where d.kind = 'CERTIFICATE' and d.state = 'PUBLISHED' "
					+ "and ((i.revocation_reason is not null and i.revocation_reason <> 'CERTIFICATE_HOLD') "
					+ "or r.status in ('EXPIRED', 'REVOKED')) order by d.item_key",
					(rs, row) -> new Withdrawal(rs.getString(1), rs.getString(2), rs.getBytes(3)))
			.stream()
			.limit(limit)
			.toList();
	}

	/** Certificates the records show as in the directory now, with their holders. */
	List<Republication> publishedCertificates() {
		return this.jdbc.query(
				"select d.item_key, r.email, r.full_name, i.der from directory_entry d "
						+ "join issued_certificate i on i.request_id = d.item_key "
						+ "join certificate_request r on r.request_id = d.item_key "
						+ "where d.kind = 'CERTIFICATE' and d.state = 'PUBLISHED' order by d.item_key",
				(rs, row) -> new Republication(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
	}

	enum Kind {

		CERTIFICATE, CA

	}

	enum State {

		/** Not written yet: every attempt so far failed. */
		PENDING,
		/** In the directory. */
		PUBLISHED,
		/** Removed after revocation or an expired activation. */
		WITHDRAWN,
		/** Never written: no longer good when its step ran. */
		NOT_PUBLISHED

	}

	record Stored(State state, String contentSha256) {
	}

	record Withdrawal(String requestId, String entryDn, byte[] certificateDer) {
	}

	record Republication(String requestId, String email, String fullName, byte[] certificateDer) {
	}

}
