package org.certflow.request;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: what the RA admin sees first in the console. Read-only figures over our own
 * tables, and what needs a person: open incidents, mails given up on, activations locked
 * by wrong PINs, each with the process instance where one is still running.
 */
@Service
public class RaOverview {

	/** The most rows of each stuck list: the dashboard points, the lists page. */
	public static final int MAX_STUCK = 50;

	private final JdbcTemplate jdbc;

	private final RequestProcesses processes;

	private final Clock clock;

	RaOverview(JdbcTemplate jdbc, RequestProcesses processes, Clock clock) {
		this.jdbc = jdbc;
		this.processes = processes;
		this.clock = clock;
	}

	/**
	 * @return how many requests are in each status, every status listed
	 */
	@Transactional(readOnly = true)
	public Map<RequestStatus, Long> requestsByStatus() {
		Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
		for (RequestStatus status : RequestStatus.values()) {
			counts.put(status, 0L);
		}
		this.jdbc.query("select status, count(*) from certificate_request group by status", (ResultSet rs) -> {
			try {
				counts.put(RequestStatus.valueOf(rs.getString(1)), rs.getLong(2));
			}
			catch (IllegalArgumentException ex) {
				// A status a newer node wrote: not ours to count.
			}
		});
		return counts;
	}

	/**
	 * Certificates issued in each hour of the last {@code hours} hours, the current hour
	 * last.
	 * @param hours how many hours, at most 31 days of them
	 * @return the start of the first hour and the count of each hour
	 */
	@Transactional(readOnly = true)
	public IssuedPerHour issuedPerHour(int hours) {
		if (hours < 1 || hours > 24 * 31) {
			throw new IllegalArgumentException("hours must be 1 to " + (24 * 31));
		}
		Instant first = this.clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
		int[] counts = new int[hours];
		// Bucketed here rather than in SQL: hour truncation is spelt differently on H2
		// and MySQL, and a week of issuance is small to read.
		this.jdbc.query("select issued_at from issued_certificate where issued_at >= ?", (ResultSet rs) -> {
			int hour = (int) Duration.between(first, instant(rs, 1)).toHours();
			if (hour >= 0 && hour < hours) {
				counts[hour]++;
			}
		}, timestamp(first));
		return new IssuedPerHour(first, counts);
	}

	/**
	 * @return open incidents, newest first
	 */
	public List<RequestProcesses.Incident> openIncidents() {
		return this.processes.openIncidents(MAX_STUCK);
	}

	/**
	 * @return mails given up on, newest first, with their running instance
	 */
	@Transactional(readOnly = true)
	public List<FailedMail> failedMails() {
		List<FailedMail> mails = this.jdbc.query(
				"select mail_id, request_id, kind, recipient, failed_at, last_error from mail_outbox "
						+ "where status = 'FAILED' order by failed_at desc limit " + MAX_STUCK,
				(rs, row) -> new FailedMail(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						instant(rs, 5), rs.getString(6), null));
		Map<String, String> instances = this.processes
			.runningInstances(mails.stream().map(FailedMail::requestId).toList());
		return mails.stream()
			.map((mail) -> new FailedMail(mail.mailId(), mail.requestId(), mail.kind(), mail.recipient(),
					mail.failedAt(), mail.lastError(), instances.get(mail.requestId())))
			.toList();
	}

	/**
	 * @return activations locked by wrong PINs and not yet replaced, newest first
	 */
	@Transactional(readOnly = true)
	public List<LockedActivation> lockedActivations() {
		List<LockedActivation> first = this.jdbc.query(
				"select a.request_id, r.email, a.locked_at, a.failed_attempts from activation a "
						+ "join certificate_request r on r.request_id = a.request_id "
						+ "where a.locked_at is not null and a.used_at is null order by a.locked_at desc limit "
						+ MAX_STUCK,
				(rs, row) -> new LockedActivation(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getInt(4),
						null));
		Map<String, String> instances = this.processes
			.runningInstances(first.stream().map(LockedActivation::requestId).toList());
		return first.stream()
			.map((activation) -> new LockedActivation(activation.requestId(), activation.email(), activation.lockedAt(),
					activation.failedAttempts(), instances.get(activation.requestId())))
			.toList();
	}

	// Our datetime columns hold UTC wall-clock time (hibernate.jdbc.time_zone and
	// RequestEvents write them so).
	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toLocalDateTime().toInstant(ZoneOffset.UTC) : null;
	}

	private static Timestamp timestamp(Instant instant) {
		return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
	}

	/**
	 * Certificates issued per hour.
	 *
	 * @param firstHour start of the first hour
	 * @param counts one count per hour, oldest first
	 */
	public record IssuedPerHour(Instant firstHour, int[] counts) {

		public int total() {
			int total = 0;
			for (int count : this.counts) {
				total += count;
			}
			return total;
		}

		public int max() {
			int max = 0;
			for (int count : this.counts) {
				max = Math.max(max, count);
			}
			return max;
		}

	}

	/**
	 * A mail the outbox gave up on.
	 *
	 * @param mailId its id (the API retries it)
	 * @param requestId its request
	 * @param kind invitation, activation, ...
	 * @param recipient the mailbox
	 * @param failedAt when it was given up on
	 * @param lastError the SMTP server's last answer
	 * @param processInstanceId the request's running instance, or null
	 */
	public record FailedMail(String mailId, String requestId, String kind, String recipient, Instant failedAt,
			String lastError, String processInstanceId) {
	}

	/**
	 * An activation code locked after too many wrong PINs.
	 *
	 * @param requestId its request
	 * @param email the applicant's mailbox
	 * @param lockedAt when
	 * @param failedAttempts wrong PINs counted
	 * @param processInstanceId the request's running instance, or null
	 */
	public record LockedActivation(String requestId, String email, Instant lockedAt, int failedAttempts,
			String processInstanceId) {
	}

}
