package org.certflow.request;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A request's timeline ({@code request_event}): what happened to it, who did it, when and
 * why. Events are appended in the caller's transaction, so an event exists exactly when
 * the change it records committed, and are never changed afterwards.
 */
@Repository
public class RequestEvents {

	/** The actor of decisions the approval policy (the DMN table) takes. */
	public static final String POLICY = "policy";

	/** The actor of timers, the CA and other steps no person took. */
	public static final String SYSTEM = "system";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	RequestEvents(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Appends an event to a request's timeline.
	 * @param requestId the request
	 * @param kind what happened
	 * @param actor the user id, {@link #POLICY} or {@link #SYSTEM}
	 * @param detail the reason or other detail a reader needs, or {@code null}
	 * @return the event as written
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public RequestEvent record(String requestId, RequestEventKind kind, String actor, String detail) {
		RequestEvent event = new RequestEvent(UUID.randomUUID().toString(), requestId,
				this.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), kind, actor,
				(detail != null && detail.length() > 2000) ? detail.substring(0, 2000) : detail);
		this.jdbc.update(
				"insert into request_event (event_id, request_id, occurred_at, kind, actor, detail) values (?, ?, ?, ?, ?, ?)",
				event.eventId(), event.requestId(),
				Timestamp.valueOf(LocalDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC)), event.kind().name(),
				event.actor(), event.detail());
		return event;
	}

	/**
	 * @param requestId the request
	 * @return its events in the order they were written
	 */
	@Transactional(readOnly = true)
	public List<RequestEvent> timeline(String requestId) {
		return this.jdbc.query(
				"select event_id, request_id, occurred_at, kind, actor, detail from request_event "
						+ "where request_id = ? order by event_seq",
				(rs, row) -> new RequestEvent(rs.getString(1), rs.getString(2),
						rs.getTimestamp(3).toLocalDateTime().toInstant(ZoneOffset.UTC),
						RequestEventKind.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6)),
				requestId);
	}

	/**
	 * One entry of a request's timeline.
	 *
	 * @param eventId the event's id
	 * @param requestId the request
	 * @param occurredAt when, to the microsecond
	 * @param kind what happened
	 * @param actor who: a user id, {@link #POLICY} or {@link #SYSTEM}
	 * @param detail the reason or other detail, or {@code null}
	 */
	public record RequestEvent(String eventId, String requestId, Instant occurredAt, RequestEventKind kind,
			String actor, String detail) {
	}

}
