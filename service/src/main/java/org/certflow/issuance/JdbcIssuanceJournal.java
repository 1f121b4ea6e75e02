package org.certflow.issuance;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.certflow.audit.AuditEvent;
import org.certflow.audit.AuditTrail;
import org.certflow.ca.IssuanceJournal;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.RevocationRegistry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA's journal and certificate status on our database (tables of
 * V2__issuance_journal.sql and V3__revocation.sql). Every write commits in a transaction
 * of its own: a reservation must be durable before the CA key signs, a signed certificate
 * must stay recorded even when the caller's transaction (the signing step) rolls back,
 * and a revocation must be stored before the CRL and OCSP responses that publish it; the
 * same write marks the certificate due for the signer, which produces them. Each write
 * appends its audit event in that same transaction: the trail never shows a reservation,
 * certificate or status change that the journal lacks, nor the reverse.
 */
@Component
public class JdbcIssuanceJournal implements IssuanceJournal, RevocationRegistry {

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * Every status change tells the signer what it owes: fresh OCSP responses now, and a
	 * CRL that lists the change (V11__revocation_data.sql).
	 */
	private static final String STATUS_CHANGED = "status_changed_at = ?, ocsp_due_at = ?, crl_pending = 1";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final AuditTrail audit;

	public JdbcIssuanceJournal(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.audit = new AuditTrail(jdbc, Clock.systemUTC());
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public Optional<byte[]> findIssuedByRequestId(String requestId) {
		List<byte[]> found = this.jdbc.query("select der from issued_certificate where request_id = ?",
				(rs, row) -> rs.getBytes(1), requestId);
		return found.stream().findFirst();
	}

	@Override
	public boolean reserve(SerialReservation reservation) {
		try {
			this.ownTransaction.executeWithoutResult((status) -> {
				this.jdbc.update(
						"insert into serial_reservation (issuer, serial_hex, request_id, tbs_sha256, reserved_at) "
								+ "values (?, ?, ?, ?, ?)",
						reservation.issuer(), hex(reservation.serial()), reservation.requestId(),
						HEX.formatHex(reservation.tbsSha256()), Timestamp.from(reservation.reservedAt()));
				this.audit.append(new AuditEvent(AuditEvent.Type.ABOUT_TO_SIGN, reservation.issuer(),
						hex(reservation.serial()), reservation.requestId(),
						"profile=" + reservation.profile() + "; tbs-sha256=" + HEX.formatHex(reservation.tbsSha256()),
						reservation.tbsDer()));
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	@Override
	public void recordIssued(IssuedRecord issued) {
		// Due at once: the signer produces its first OCSP responses within a second.
		Timestamp now = Timestamp.from(Instant.now());
		this.ownTransaction.executeWithoutResult((status) -> {
			this.jdbc.update(
					"insert into issued_certificate (issuer, serial_hex, request_id, subscriber, spki_sha256, der, "
							+ "not_before, not_after, issued_at, ocsp_due_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					issued.issuer(), hex(issued.serial()), issued.requestId(), issued.subscriber(),
					HEX.formatHex(issued.spkiSha256()), issued.der(), Timestamp.from(issued.notBefore()),
					Timestamp.from(issued.notAfter()), now, now);
			this.audit.append(new AuditEvent(AuditEvent.Type.SIGNED, issued.issuer(), hex(issued.serial()),
					issued.requestId(), "certificate-sha256=" + HEX.formatHex(sha256(issued.der())), null));
		});
	}

	/**
	 * One transaction for the whole chunk: its reservations and their audit events commit
	 * together, before the CA signs any of them.
	 */
	@Override
	public boolean reserveAll(List<SerialReservation> reservations) {
		try {
			this.ownTransaction.executeWithoutResult((status) -> {
				this.jdbc.batchUpdate(
						"insert into serial_reservation (issuer, serial_hex, request_id, tbs_sha256, reserved_at) "
								+ "values (?, ?, ?, ?, ?)",
						reservations.stream()
							.map((r) -> new Object[] { r.issuer(), hex(r.serial()), r.requestId(),
									HEX.formatHex(r.tbsSha256()), Timestamp.from(r.reservedAt()) })
							.toList());
				this.audit.appendAll(reservations.stream()
					.map((r) -> new AuditEvent(AuditEvent.Type.ABOUT_TO_SIGN, r.issuer(), hex(r.serial()),
							r.requestId(), "profile=" + r.profile() + "; tbs-sha256=" + HEX.formatHex(r.tbsSha256()),
							r.tbsDer()))
					.toList());
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * One transaction for the whole chunk: its certificates and their audit events commit
	 * together, or none does.
	 */
	@Override
	public void recordAllIssued(List<IssuedRecord> issued) {
		Timestamp now = Timestamp.from(Instant.now());
		this.ownTransaction.executeWithoutResult((status) -> {
			this.jdbc.batchUpdate(
					"insert into issued_certificate (issuer, serial_hex, request_id, subscriber, spki_sha256, der, "
							+ "not_before, not_after, issued_at, ocsp_due_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					issued.stream()
						.map((i) -> new Object[] { i.issuer(), hex(i.serial()), i.requestId(), i.subscriber(),
								HEX.formatHex(i.spkiSha256()), i.der(), Timestamp.from(i.notBefore()),
								Timestamp.from(i.notAfter()), now, now })
						.toList());
			this.audit.appendAll(issued.stream()
				.map((i) -> new AuditEvent(AuditEvent.Type.SIGNED, i.issuer(), hex(i.serial()), i.requestId(),
						"certificate-sha256=" + HEX.formatHex(sha256(i.der())), null))
				.toList());
		});
	}

	@Override
	public void burn(String issuer, BigInteger serial, String why) {
		this.ownTransaction.executeWithoutResult((status) -> burnInTransaction(issuer, hex(serial), why));
	}

	private boolean burnInTransaction(String issuer, String serialHex, String why) {
		String reason = truncate(why, 512);
		int burned = this.jdbc.update(
				"update serial_reservation set burned_at = ?, burn_reason = ? where issuer = ? and serial_hex = ? "
						+ "and burned_at is null and not exists (select 1 from issued_certificate i where "
						+ "i.issuer = ? and i.serial_hex = ?)",
				Timestamp.from(Instant.now()), reason, issuer, serialHex, issuer, serialHex);
		if (burned > 0) {
			this.audit.append(new AuditEvent(AuditEvent.Type.SERIAL_BURNED, issuer, serialHex, null,
					"reason=" + truncate(why, 1000), null));
		}
		return burned > 0;
	}

	/**
	 * Burns reservations that never got their certificate: the signer that made them died
	 * between reserving and recording. Only reservations older than {@code olderThan} are
	 * touched, so a signer still at work (on this node or another) is never overtaken.
	 * @param olderThan the age after which no live signer can still record
	 * @param now the current time
	 * @return how many reservations were burned
	 */
	int burnAbandoned(Duration olderThan, Instant now) {
		String why = "abandoned: no certificate was recorded within " + olderThan;
		List<String[]> abandoned = this.jdbc.query(
				"select issuer, serial_hex from serial_reservation r where burned_at is null and reserved_at < ? "
						+ "and not exists (select 1 from issued_certificate i where i.issuer = r.issuer "
						+ "and i.serial_hex = r.serial_hex)",
				(rs, row) -> new String[] { rs.getString(1), rs.getString(2) }, Timestamp.from(now.minus(olderThan)));
		// One transaction (and one audit event) per serial, so the audit head is never
		// held while another reservation row is locked. The guards of each update leave
		// alone a serial that another node burned, or a slow signer recorded, meanwhile.
		int burned = 0;
		for (String[] serial : abandoned) {
			if (Boolean.TRUE
				.equals(this.ownTransaction.execute((status) -> burnInTransaction(serial[0], serial[1], why)))) {
				burned++;
			}
		}
		return burned;
	}

	@Override
	public Optional<String> subscriberOfPublicKey(byte[] spkiSha256) {
		List<String> found = this.jdbc.query(
				"select subscriber from issued_certificate where spki_sha256 = ? order by issued_at",
				(rs, row) -> rs.getString(1), HEX.formatHex(spkiSha256));
		return found.stream().findFirst();
	}

	@Override
	public Optional<CertificateStatus> status(String issuer, BigInteger serial) {
		List<CertificateStatus> found = this.jdbc.query(
				"select not_after, revocation_reason, revoked_at from issued_certificate where issuer = ? and "
						+ "serial_hex = ?",
				(rs, row) -> new CertificateStatus(serial, rs.getTimestamp(1).toInstant(), reason(rs.getString(2)),
						instant(rs.getTimestamp(3))),
				issuer, hex(serial));
		return found.stream().findFirst();
	}

	@Override
	public boolean recordRevocation(String issuer, BigInteger serial, RevocationReason reason, Instant revokedAt,
			RevocationReason expected) {
		return Boolean.TRUE.equals(this.ownTransaction.execute((status) -> {
			Timestamp now = Timestamp.from(Instant.now());
			int updated = (expected == null)
					? this.jdbc.update(
							"update issued_certificate set revocation_reason = ?, revoked_at = ?, " + STATUS_CHANGED
									+ " where issuer = ? and serial_hex = ? and revocation_reason is null",
							reason.name(), Timestamp.from(revokedAt), now, now, issuer, hex(serial))
					: this.jdbc.update(
							"update issued_certificate set revocation_reason = ?, revoked_at = ?, " + STATUS_CHANGED
									+ " where issuer = ? and serial_hex = ? and revocation_reason = ?",
							reason.name(), Timestamp.from(revokedAt), now, now, issuer, hex(serial), expected.name());
			if (updated > 0) {
				AuditEvent.Type type = (reason == RevocationReason.CERTIFICATE_HOLD) ? AuditEvent.Type.SUSPENDED
						: AuditEvent.Type.REVOKED;
				this.audit.append(new AuditEvent(type, issuer, hex(serial), null,
						"reason=" + reason.rfcName() + "; revoked-at=" + revokedAt, null));
			}
			return updated > 0;
		}));
	}

	@Override
	public boolean clearRevocation(String issuer, BigInteger serial, RevocationReason expected) {
		return Boolean.TRUE.equals(this.ownTransaction.execute((status) -> {
			Timestamp now = Timestamp.from(Instant.now());
			int updated = this.jdbc.update(
					"update issued_certificate set revocation_reason = null, revoked_at = null, " + STATUS_CHANGED
							+ " where issuer = ? and serial_hex = ? and revocation_reason = ?",
					now, now, issuer, hex(serial), expected.name());
			if (updated > 0) {
				this.audit.append(new AuditEvent(AuditEvent.Type.UNSUSPENDED, issuer, hex(serial), null, null, null));
			}
			return updated > 0;
		}));
	}

	@Override
	public List<RevokedEntry> revoked(String issuer, Instant notAfterFrom) {
		return this.jdbc.query(
				"select serial_hex, revocation_reason, revoked_at, not_after from issued_certificate where issuer = ? "
						+ "and revocation_reason is not null and not_after >= ? order by serial_hex",
				(rs, row) -> new RevokedEntry(new BigInteger(rs.getString(1), 16), reason(rs.getString(2)),
						rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()),
				issuer, Timestamp.from(notAfterFrom));
	}

	@Override
	public BigInteger nextCrlNumber(String issuer) {
		return this.ownTransaction.execute((status) -> {
			// The update takes the row lock, so concurrent callers (other nodes too) get
			// distinct
			// numbers; the first CRL of an issuer inserts the row instead.
			int updated = this.jdbc.update("update crl_number set last_number = last_number + 1 where issuer = ?",
					issuer);
			if (updated == 0) {
				try {
					this.jdbc.update("insert into crl_number (issuer, last_number) values (?, 1)", issuer);
				}
				catch (DuplicateKeyException ex) {
					this.jdbc.update("update crl_number set last_number = last_number + 1 where issuer = ?", issuer);
				}
			}
			return BigInteger.valueOf(this.jdbc.queryForObject("select last_number from crl_number where issuer = ?",
					Long.class, issuer));
		});
	}

	private static RevocationReason reason(String name) {
		return (name != null) ? RevocationReason.valueOf(name) : null;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	static String hex(BigInteger serial) {
		return serial.toString(16);
	}

	private static byte[] sha256(byte[] der) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(der);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("no SHA-256 in this JVM", ex);
		}
	}

	private static String truncate(String value, int max) {
		return (value == null || value.length() <= max) ? value : value.substring(0, max);
	}

}
