package org.certflow.request;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin finds requests without knowing their ids: by mailbox, name,
 * status, class, certificate serial and creation date, newest first, one page at a time.
 * Every criterion arrives as text and is checked here, so that a wrong one is answered
 * with what was wrong rather than with an empty page.
 */
@Service
public class SearchRequests {

	/** The largest page an admin may ask for. */
	public static final int MAX_PAGE_SIZE = 100;

	/** The page size when none is asked for. */
	public static final int DEFAULT_PAGE_SIZE = 20;

	// Deep offsets make the database walk every row before them: narrow the search
	// instead.
	private static final int MAX_PAGE = 10_000;

	private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{1,42}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){0,20}");

	private final CertificateRequests requests;

	SearchRequests(CertificateRequests requests) {
		this.requests = requests;
	}

	/**
	 * @param criteria what to look for; blank criteria are ignored
	 * @return one page of matching requests, newest first
	 * @throws RequestException (INVALID) naming the criterion that is wrong
	 */
	@Transactional(readOnly = true)
	public RequestPage search(Criteria criteria) {
		int page = number("page", criteria.page(), 0, 0, MAX_PAGE);
		int size = number("size", criteria.size(), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
		Set<RequestStatus> statuses = statuses(criteria.status());
		String email = text("email", criteria.email(), 254);
		String name = text("name", criteria.name(), 64);
		String certificateClass = text("class", criteria.certificateClass(), 64);
		String batch = text("batch", criteria.batch(), 40);
		String serial = serial(criteria.serial());
		Instant from = day("from", criteria.from(), false);
		Instant to = day("to", criteria.to(), true);
		if (from != null && to != null && !from.isBefore(to)) {
			throw invalid(
					"from (" + criteria.from().strip() + ") must not be after to (" + criteria.to().strip() + ").");
		}
		Specification<CertificateRequest> where = (root, query, cb) -> {
			List<Predicate> all = new ArrayList<>();
			if (statuses != null) {
				all.add(root.get("status").in(statuses));
			}
			if (email != null) {
				if (email.contains("@")) {
					all.add(cb.equal(root.get("email"), mailbox(email)));
				}
				else {
					all.add(cb.like(cb.lower(root.get("email")), contains(email), '!'));
				}
			}
			if (name != null) {
				all.add(cb.like(cb.lower(root.get("fullName")), contains(name), '!'));
			}
			if (certificateClass != null) {
				all.add(cb.equal(root.get("certificateClass"), certificateClass));
			}
			if (serial != null) {
				all.add(cb.equal(root.get("certificateSerial"), serial));
			}
			if (batch != null) {
				all.add(cb.equal(root.get("batchId"), batch));
			}
			if (from != null) {
				all.add(cb.greaterThanOrEqualTo(root.get("createdAt"), from));
			}
			if (to != null) {
				all.add(cb.lessThan(root.get("createdAt"), to));
			}
			return cb.and(all.toArray(Predicate[]::new));
		};
		Page<CertificateRequest> found = this.requests.findAll(where,
				PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("requestId"))));
		return new RequestPage(found.getTotalElements(), page, size, found.getContent());
	}

	private static int number(String parameter, String value, int absent, int min, int max) {
		if (value == null || value.isBlank()) {
			return absent;
		}
		try {
			int number = Integer.parseInt(value.strip());
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// refused below with the allowed range
		}
		throw invalid(parameter + " must be a whole number from " + min + " to " + max + ", not '" + value + "'.");
	}

	private static Set<RequestStatus> statuses(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Set<RequestStatus> statuses = EnumSet.noneOf(RequestStatus.class);
		for (String one : value.split(",")) {
			try {
				statuses.add(RequestStatus.valueOf(one.strip().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw invalid("Unknown status '" + one.strip() + "'. Use one or more (comma-separated) of "
						+ Arrays.toString(RequestStatus.values()) + ".");
			}
		}
		return statuses;
	}

	private static String text(String parameter, String value, int maxLength) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		if (text.length() > maxLength) {
			throw invalid(parameter + " is longer than " + maxLength + " characters: nothing can match it.");
		}
		return text;
	}

	private static String serial(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		if (!SERIAL.matcher(text).matches()) {
			throw invalid("serial must be a certificate serial in hex (at most 20 octets), such as 4f1ca2 or "
					+ "4F:1C:A2, not '" + text + "'.");
		}
		// Stored as BigInteger.toString(16): lowercase, no leading zeros.
		return new BigInteger(text.replace(":", ""), 16).toString(16);
	}

	private static Instant day(String parameter, String value, boolean endOfDay) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		try {
			if (text.length() == 10) {
				LocalDate date = LocalDate.parse(text);
				return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			Instant at = Instant.parse(text);
			return endOfDay ? at.plusNanos(1000) : at;
		}
		catch (DateTimeParseException ex) {
			throw invalid(parameter + " must be a date (2026-11-30, whole day in UTC) or an instant "
					+ "(2026-11-30T08:00:00Z), not '" + text + "'.");
		}
	}

	/** Mailbox domains are stored lowercase, local parts as typed (RFC 5321 2.4). */
	private static String mailbox(String email) {
		int at = email.lastIndexOf('@');
		return email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT);
	}

	private static String contains(String text) {
		// '!' escapes, not a backslash, which MySQL would read inside the SQL literal.
		String escaped = text.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
		return "%" + escaped + "%";
	}

	private static RequestException invalid(String message) {
		return new RequestException(RequestException.Kind.INVALID, message);
	}

	/**
	 * What an RA admin searches for, as sent; null or blank means "any".
	 *
	 * @param status one or more statuses, comma-separated
	 * @param email a whole mailbox (exact; domain in any case), or part of one
	 * @param name part of the applicant's name, any case
	 * @param certificateClass the class name
	 * @param serial the certificate serial in hex
	 * @param from created on or after this day (UTC) or instant
	 * @param to created on or before this day (UTC) or instant
	 * @param page page number from 0
	 * @param size requests per page, 1 to {@value #MAX_PAGE_SIZE}
	 * @param batch the id of the batch upload that made the requests
	 */
	public record Criteria(String status, String email, String name, String certificateClass, String serial,
			String from, String to, String page, String size, String batch) {

		/** Without the batch criterion. */
		public Criteria(String status, String email, String name, String certificateClass, String serial, String from,
				String to, String page, String size) {
			this(status, email, name, certificateClass, serial, from, to, page, size, null);
		}

	}

	/**
	 * A page of requests.
	 *
	 * @param total how many requests match in all
	 * @param page the page number, from 0
	 * @param size the page size
	 * @param items the requests on this page, newest first
	 */
	public record RequestPage(long total, int page, int size, List<CertificateRequest> items) {
	}

}
