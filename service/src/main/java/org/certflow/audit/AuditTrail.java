package org.certflow.audit;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The CA's hash-chained audit trail (V10__audit_event.sql). Each event carries the hash
 * of the one before and its own hash over its content and that link, so an edited,
 * removed, reordered or inserted row breaks the chain from that row on; the head row
 * keeps the last number and hash, so that rows cut off the end are noticed too.
 * <p>
 * The chain protects against changes made to the table afterwards, not against someone
 * who rewrites the table and the head together: for that, the head hash is logged at
 * every verification, and logs kept elsewhere anchor it.
 */
@Component
public class AuditTrail {

	static final String GENESIS = "0".repeat(64);

	private static final String HEAD = "audit";

	private static final int PAGE = 1000;

	private static final DateTimeFormatter CANONICAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private static final HexFormat HEX = HexFormat.of();

	private final JdbcTemplate jdbc;

	private final Clock clock;

	public AuditTrail(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Appends an event in the caller's transaction, so it commits or rolls back with the
	 * journal row it describes. Locks the head row until that transaction ends: appends
	 * from every thread and node form one chain, one at a time.
	 * @param event the event
	 * @return the event's number in the chain
	 * @throws IllegalStateException when called outside a transaction (the event could
	 * then outlive, or be lost without, what it describes)
	 */
	public long append(AuditEvent event) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("audit events are appended inside the transaction of what they describe");
		}
		Link head = this.jdbc.queryForObject(
				"select last_event_id, last_hash from audit_head where head_key = ? for update",
				(rs, row) -> new Link(rs.getLong(1), rs.getString(2)), HEAD);
		long id = head.eventId() + 1;
		// Whole seconds: through Connector/J, MariaDB 10.11 stored datetime(6) values
		// without their fractions (measured), which would change what the hash covers.
		// The event number, not the time, orders the chain.
		LocalDateTime at = LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC)
			.truncatedTo(ChronoUnit.SECONDS);
		String hash = hash(id, at, event, head.hash());
		this.jdbc.update(
				"insert into audit_event (event_id, recorded_at, event_type, issuer, serial_hex, request_id, detail, "
						+ "document, prev_hash, event_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, at, event.type().name(), event.issuer(), event.serialHex(), event.requestId(), event.detail(),
				event.document(), head.hash(), hash);
		this.jdbc.update("update audit_head set last_event_id = ?, last_hash = ? where head_key = ?", id, hash, HEAD);
		return id;
	}

	/**
	 * Appends several events in the caller's transaction, as {@link #append} does for
	 * one, with one read and one update of the head: the chunks of the signer write
	 * dozens at a time.
	 * @param events the events, chained in this order
	 */
	public void appendAll(List<AuditEvent> events) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("audit events are appended inside the transaction of what they describe");
		}
		if (events.isEmpty()) {
			return;
		}
		Link head = this.jdbc.queryForObject(
				"select last_event_id, last_hash from audit_head where head_key = ? for update",
				(rs, row) -> new Link(rs.getLong(1), rs.getString(2)), HEAD);
		LocalDateTime at = LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC)
			.truncatedTo(ChronoUnit.SECONDS);
		List<Object[]> rows = new java.util.ArrayList<>(events.size());
		long id = head.eventId();
		String previous = head.hash();
		for (AuditEvent event : events) {
			id++;
			String hash = hash(id, at, event, previous);
			rows.add(new Object[] { id, at, event.type().name(), event.issuer(), event.serialHex(), event.requestId(),
					event.detail(), event.document(), previous, hash });
			previous = hash;
		}
		this.jdbc.batchUpdate(
				"insert into audit_event (event_id, recorded_at, event_type, issuer, serial_hex, request_id, detail, "
						+ "document, prev_hash, event_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				rows);
		this.jdbc.update("update audit_head set last_event_id = ?, last_hash = ? where head_key = ?", id, previous,
				HEAD);
	}

	/**
	 * Walks the whole chain, a page at a time (memory stays flat for millions of events).
	 * Events appended while it runs are left for the next verification.
	 * @return the outcome; {@code firstBrokenEvent} is the number of the first event that
	 * is missing or does not verify
	 */
	public Verification verify() {
		Link head = this.jdbc.queryForObject("select last_event_id, last_hash from audit_head where head_key = ?",
				(rs, row) -> new Link(rs.getLong(1), rs.getString(2)), HEAD);
		Walk walk = new Walk();
		while (walk.broken == null && walk.last.eventId() < head.eventId()) {
			List<StoredEvent> page = this.jdbc.query(
					"select event_id, recorded_at, event_type, issuer, serial_hex, request_id, detail, document, "
							+ "prev_hash, event_hash from audit_event where event_id > ? and event_id <= ? "
							+ "order by event_id limit " + PAGE,
					AuditTrail::stored, walk.last.eventId(), head.eventId());
			if (page.isEmpty()) {
				break;
			}
			page.forEach(walk::check);
		}
		if (walk.broken == null && !walk.last.equals(head)) {
			// Rows cut off the end, or the last hash no longer what the head recorded.
			walk.broken = walk.last.eventId() + 1;
		}
		if (walk.broken == null) {
			// A committed event always moved the head with it: a row beyond the head was
			// written around the trail. Read the highest id first, so a concurrent append
			// has moved the head too by the time it is read.
			Long highest = this.jdbc.queryForObject("select max(event_id) from audit_event", Long.class);
			long headNow = this.jdbc.queryForObject("select last_event_id from audit_head where head_key = ?",
					Long.class, HEAD);
			if (highest != null && highest > headNow) {
				walk.broken = headNow + 1;
			}
		}
		return new Verification(walk.broken == null, walk.count, walk.broken, head.eventId(), head.hash());
	}

	private static StoredEvent stored(ResultSet rs, int row) throws SQLException {
		return new StoredEvent(
				rs.getLong(1), rs.getObject(2, LocalDateTime.class), new AuditEvent(type(rs.getString(3)),
						rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8)),
				rs.getString(3), rs.getString(9), rs.getString(10));
	}

	private static AuditEvent.Type type(String name) {
		try {
			return AuditEvent.Type.valueOf(name);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return null;
		}
	}

	/**
	 * SHA-256 over the DER of the event's fields and the previous hash: DER has one
	 * encoding per value, and absent fields are absent tags, so no two different events
	 * hash the same input.
	 */
	static String hash(long id, LocalDateTime at, AuditEvent event, String prevHash) {
		return hash(id, at, (event.type() != null) ? event.type().name() : null, event, prevHash);
	}

	private static String hash(long id, LocalDateTime at, String typeName, AuditEvent event, String prevHash) {
		ASN1EncodableVector fields = new ASN1EncodableVector();
		fields.add(new ASN1Integer(id));
		fields.add(new DERUTF8String(CANONICAL_TIME.format(at)));
		fields.add(new DERUTF8String(String.valueOf(typeName)));
		optional(fields, 0, event.issuer());
		optional(fields, 1, event.serialHex());
		optional(fields, 2, event.requestId());
		optional(fields, 3, event.detail());
		if (event.document() != null) {
			fields.add(new DERTaggedObject(true, 4, new DEROctetString(event.document())));
		}
		fields.add(new DERUTF8String(prevHash));
		try {
			byte[] der = new DERSequence(fields).getEncoded(ASN1Encoding.DER);
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(der));
		}
		catch (IOException | NoSuchAlgorithmException ex) {
			throw new IllegalStateException("cannot hash an audit event", ex);
		}
	}

	private static void optional(ASN1EncodableVector fields, int tag, String value) {
		if (value != null) {
			fields.add(new DERTaggedObject(true, tag, new DERUTF8String(value)));
		}
	}

	/**
	 * The outcome of a verification.
	 *
	 * @param valid whether every event verified and the chain reaches the head
	 * @param events how many events were read
	 * @param firstBrokenEvent the number of the first missing or altered event, or
	 * {@code null}
	 * @param headEventId the last event number the head recorded
	 * @param headHash the hash the head recorded, worth keeping outside the database
	 */
	public record Verification(boolean valid, long events, Long firstBrokenEvent, long headEventId, String headHash) {
	}

	private record Link(long eventId, String hash) {
	}

	private record StoredEvent(long eventId, LocalDateTime recordedAt, AuditEvent event, String typeName,
			String prevHash, String eventHash) {
	}

	/** State of one walk along the chain. */
	private static final class Walk {

		Link last = new Link(0, GENESIS);

		long count;

		Long broken;

		void check(StoredEvent stored) {
			if (this.broken != null) {
				return;
			}
			this.count++;
			long expected = this.last.eventId() + 1;
			if (stored.eventId() != expected) {
				// A gap: the expected event was deleted.
				this.broken = expected;
				return;
			}
			if (!this.last.hash().equals(stored.prevHash()) || stored.recordedAt() == null
					|| !hash(stored.eventId(), stored.recordedAt(), stored.typeName(), stored.event(),
							stored.prevHash())
						.equals(stored.eventHash())) {
				this.broken = stored.eventId();
				return;
			}
			this.last = new Link(stored.eventId(), stored.eventHash());
		}

	}

}
