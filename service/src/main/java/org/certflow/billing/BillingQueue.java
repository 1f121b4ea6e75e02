package org.certflow.billing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.certflow.request.RequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: RA admins look at the billing outbox, send a FAILED event again, and export a
 * period's events as CSV for the billing department.
 */
@Service
public class BillingQueue {

	/** The largest page an admin may ask for. */
	public static final int MAX_PAGE_SIZE = 100;

	/** The longest period one export covers. */
	public static final int MAX_EXPORT_DAYS = 366;

	private static final Logger log = LoggerFactory.getLogger(BillingQueue.class);

	private static final Set<String> STATUSES = Set.of(BillingEvent.PENDING, BillingEvent.SENT, BillingEvent.FAILED);

	private final BillingLedger ledger;

	private final BillingSettings settings;

	private final Clock clock;

	BillingQueue(BillingLedger ledger, BillingSettings settings, Clock clock) {
		this.ledger = ledger;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * @return whether the billing module is on
	 */
	public boolean enabled() {
		return this.settings.enabled();
	}

	/**
	 * @param status PENDING, SENT or FAILED; null or blank for all
	 * @param page from 0
	 * @param size 1 to {@value #MAX_PAGE_SIZE}
	 * @return the page, newest first
	 */
	@Transactional(readOnly = true)
	public EventPage list(String status, int page, int size) {
		String wanted = status(status);
		if (page < 0) {
			throw new RequestException(RequestException.Kind.INVALID, "page must be 0 or more, not " + page + ".");
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new RequestException(RequestException.Kind.INVALID,
					"size must be between 1 and " + MAX_PAGE_SIZE + ", not " + size + ".");
		}
		return new EventPage(this.ledger.list(wanted, page, size), page, size, this.ledger.count(wanted));
	}

	/**
	 * @param status a status
	 * @return how many events have it
	 */
	@Transactional(readOnly = true)
	public long count(String status) {
		return this.ledger.count(status(status));
	}

	/**
	 * Puts a FAILED event back for sending, with a fresh retry period.
	 * @param eventId the event
	 * @param by the RA admin
	 * @return the event, now PENDING
	 */
	@Transactional
	public BillingEvent retry(String eventId, String by) {
		String id = eventId(eventId);
		if (!this.ledger.retry(id, this.clock.instant())) {
			BillingEvent event = this.ledger.find(id)
				.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
						"There is no billing event with id '" + id + "'."));
			throw new RequestException(RequestException.Kind.CONFLICT,
					event.status().equals(BillingEvent.SENT)
							? "Billing event " + id + " was already sent at " + event.sentAt()
									+ "; it is not sent twice."
							: "Billing event " + id + " is still being retried; the next attempt is at "
									+ event.nextAttemptAt() + ". Only a FAILED event can be sent again.");
		}
		log.info("Billing event {} put back for sending by {}", id, by);
		return this.ledger.find(id).orElseThrow();
	}

	/**
	 * Checks an export's period before anything is written.
	 * @param from first day (UTC), yyyy-mm-dd
	 * @param to last day (UTC), inclusive, yyyy-mm-dd
	 * @return the period
	 */
	public Period period(String from, String to) {
		LocalDate first = date("from", from);
		LocalDate last = date("to", to);
		if (last.isBefore(first)) {
			throw new RequestException(RequestException.Kind.INVALID, "to (" + last + ") is before from (" + first
					+ "); the period runs from its first to its last day.");
		}
		if (first.plusDays(MAX_EXPORT_DAYS).isBefore(last.plusDays(1))) {
			throw new RequestException(RequestException.Kind.INVALID,
					"One export covers at most " + MAX_EXPORT_DAYS + " days; split the period.");
		}
		return new Period(first, last);
	}

	/**
	 * Writes a period's events as CSV (RFC 4180, header row), oldest first. A cell that a
	 * spreadsheet would read as a formula is prefixed with an apostrophe.
	 * @param period the period
	 * @param out where to
	 */
	@Transactional(readOnly = true)
	public void export(Period period, Writer out) {
		try {
			out.write("eventId,kind,occurredAt,issuer,serialNumber,requestId,certificateClass,billingCode,reason,"
					+ "status,sentAt\r\n");
			this.ledger.forEachInPeriod(period.first().atStartOfDay(ZoneOffset.UTC).toInstant(),
					period.last().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), (event) -> {
						try {
							out.write(String.join(",",
									List.of(cell(event.eventId()), cell(event.kind()), cell(event.occurredAt()),
											cell(event.issuerDn()), cell(event.serialHex()), cell(event.requestId()),
											cell(event.certificateClass()), cell(event.billingCode()),
											cell(event.reason()), cell(event.status()), cell(event.sentAt())))
									+ "\r\n");
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
					});
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One CSV cell: quoted when it holds a comma, quote or line break; a leading
	 * {@code = + - @}, tab or carriage return gets an apostrophe so that a spreadsheet
	 * shows it as text instead of running it.
	 */
	static String cell(Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
			text = "\"" + text.replace("\"", "\"\"") + "\"";
		}
		return text;
	}

	private static LocalDate date(String name, String value) {
		try {
			return LocalDate.parse((value != null) ? value.strip() : "");
		}
		catch (DateTimeParseException ex) {
			throw new RequestException(RequestException.Kind.INVALID,
					name + " must be a day as yyyy-mm-dd (UTC), for example 2026-11-01, not '" + value + "'.");
		}
	}

	private static String status(String status) {
		if (status == null || status.isBlank()) {
			return null;
		}
		String wanted = status.strip().toUpperCase(Locale.ROOT);
		if (!STATUSES.contains(wanted)) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Unknown billing status '" + status + "'. Use PENDING, SENT or FAILED, or leave it out for all.");
		}
		return wanted;
	}

	private static String eventId(String eventId) {
		try {
			UUID id = UUID.fromString((eventId != null) ? eventId : "");
			if (id.toString().equalsIgnoreCase(eventId)) {
				return id.toString();
			}
		}
		catch (IllegalArgumentException ex) {
			// refused below
		}
		throw new RequestException(RequestException.Kind.INVALID,
				"'" + eventId + "' is not a billing event id; it is a UUID as listed by GET /api/v1/billing/events.");
	}

	/**
	 * A page of events.
	 *
	 * @param events this page, newest first
	 * @param page the page number
	 * @param size the page size asked for
	 * @param total how many match in all
	 */
	public record EventPage(List<BillingEvent> events, int page, int size, long total) {
	}

	/**
	 * An export's days, UTC.
	 *
	 * @param first the first day
	 * @param last the last day, inclusive
	 */
	public record Period(LocalDate first, LocalDate last) {
	}

}
