package org.certflow.request;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: what happened to a request, in time order, as an RA admin reads it: the
 * timeline events, the mails sent to the applicant (kind, status and when; never the
 * body, which holds links, codes and PINs) and the certificate once issued. A read model
 * over three tables, so it is plain SQL.
 */
@Service
public class RequestTimeline {

	/** {@link Entry#source()} of a timeline event. */
	public static final String EVENT = "event";

	/** {@link Entry#source()} of a mail to the applicant. */
	public static final String MAIL = "mail";

	/** {@link Entry#source()} of the issued certificate. */
	public static final String CERTIFICATE = "certificate";

	private final FindRequest findRequest;

	private final RequestEvents events;

	private final JdbcTemplate jdbc;

	RequestTimeline(FindRequest findRequest, RequestEvents events, JdbcTemplate jdbc) {
		this.findRequest = findRequest;
		this.events = events;
		this.jdbc = jdbc;
	}

	/**
	 * @param requestId the request
	 * @return the request with its timeline
	 * @throws RequestException (NOT_FOUND) when there is no such request
	 */
	@Transactional(readOnly = true)
	public Detail detail(String requestId) {
		CertificateRequest request = this.findRequest.byId(requestId);
		List<Entry> entries = new ArrayList<>();
		for (RequestEvents.RequestEvent event : this.events.timeline(requestId)) {
			entries.add(new Entry(event.occurredAt(), EVENT, event.kind().name(), event.actor(), event.detail(), null));
		}
		this.jdbc.query("select kind, status, created_at, sent_at, failed_at from mail_outbox where request_id = ?",
				(ResultSet rs) -> {
					String status = rs.getString("status");
					Instant sentAt = instant(rs, "sent_at");
					Instant failedAt = instant(rs, "failed_at");
					String detail = (sentAt != null) ? "sent at " + sentAt
							: (failedAt != null) ? "delivery given up at " + failedAt : null;
					entries.add(
							new Entry(instant(rs, "created_at"), MAIL, rs.getString("kind"), "system", detail, status));
				}, requestId);
		Optional<Certificate> certificate = certificate(requestId);
		certificate.ifPresent((c) -> entries.add(new Entry(c.issuedAt(), CERTIFICATE, "CERTIFICATE", "system",
				"serial " + c.serial() + ", valid " + c.notBefore() + " to " + c.notAfter(), null)));
		// Equal instants happen where the database keeps whole seconds (MariaDB through
		// Connector/J): then the request's life decides, so a mail follows what caused
		// it.
		entries.sort(Comparator.comparing(Entry::at).thenComparingInt(RequestTimeline::lifecycleRank));
		return new Detail(request, certificate.orElse(null), List.copyOf(entries));
	}

	/**
	 * @param requestId the request
	 * @return the certificate the CA issued for it, whatever the request's status says
	 */
	@Transactional(readOnly = true)
	public Optional<Certificate> certificate(String requestId) {
		return this.jdbc
			.query("select serial_hex, not_before, not_after, issued_at from issued_certificate where request_id = ?",
					(rs, row) -> new Certificate(rs.getString("serial_hex"), instant(rs, "not_before"),
							instant(rs, "not_after"), instant(rs, "issued_at")),
					requestId)
			.stream()
			.findFirst();
	}

	private static int lifecycleRank(Entry entry) {
		return switch (entry.source()) {
			case EVENT -> 2 * RequestEventKind.valueOf(entry.kind()).ordinal();
			case CERTIFICATE -> 2 * RequestEventKind.ISSUED.ordinal() - 1;
			default -> 1 + 2 * switch (entry.kind()) {
				case "INVITATION" -> RequestEventKind.INVITED.ordinal();
				case "ACTIVATION" -> RequestEventKind.ISSUED.ordinal();
				case "REJECTION" -> RequestEventKind.REJECTED.ordinal();
				case "CANCELLATION" -> RequestEventKind.CANCELLED.ordinal();
				default -> RequestEventKind.EXPIRED.ordinal();
			};
		};
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp at = rs.getTimestamp(column);
		// Both tables are written with Timestamp.from(Instant), so read back the same
		// way.
		return (at != null) ? at.toInstant() : null;
	}

	/**
	 * A request with its certificate and timeline.
	 *
	 * @param request the request
	 * @param certificate its certificate, or {@code null} before issuance
	 * @param timeline what happened, oldest first
	 */
	public record Detail(CertificateRequest request, Certificate certificate, List<Entry> timeline) {
	}

	/**
	 * An issued certificate.
	 *
	 * @param serial lowercase hex
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 * @param issuedAt when the CA signed it
	 */
	public record Certificate(String serial, Instant notBefore, Instant notAfter, Instant issuedAt) {
	}

	/**
	 * One line of the timeline.
	 *
	 * @param at when
	 * @param source {@value #EVENT}, {@value #MAIL} or {@value #CERTIFICATE}
	 * @param kind the event kind, the mail kind, or CERTIFICATE
	 * @param actor who: a user id, the applicant's mailbox, policy or system
	 * @param detail reason, serial or delivery detail, or {@code null}
	 * @param status a mail's delivery status (PENDING, SENT, FAILED, SUPERSEDED), else
	 * {@code null}
	 */
	public record Entry(Instant at, String source, String kind, String actor, String detail, String status) {
	}

}
