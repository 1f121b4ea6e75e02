package org.certflow.lifecycle;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.certflow.request.ApplicantMail;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.InviteApplicant;
import org.certflow.request.ResendInvitation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * In-port: tells holders that their certificate expires, at each threshold of
 * {@code certflow.expiry.notice-days} once, with an invitation to apply for its successor
 * (a new request of the same class), and tells RA admins what expires in the coming
 * weeks. Run daily by {@code expiry-notice.bpmn}.
 * <p>
 * A certificate is noticed while it is collected and not revoked. A holder who already
 * has a newer certificate of the same class hears nothing; one whose renewal is under way
 * (applied, with an officer) neither; one who left the last renewal invitation unused
 * gets it again, with a new link, instead of a second request. Each certificate is one
 * transaction: the notice, its invitation and the row that keeps it from going out twice
 * are written together or not at all.
 */
@Service
public class ExpiryNotices {

	static final String SYSTEM = "system";

	private static final Logger log = LoggerFactory.getLogger(ExpiryNotices.class);

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final JdbcTemplate jdbc;

	private final CertificateRequests requests;

	private final InviteApplicant invite;

	private final ResendInvitation resend;

	private final ApplicantMail mail;

	private final ExpirySettings settings;

	private final TransactionTemplate transaction;

	ExpiryNotices(JdbcTemplate jdbc, CertificateRequests requests, InviteApplicant invite, ResendInvitation resend,
			ApplicantMail mail, ExpirySettings settings, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.requests = requests;
		this.invite = invite;
		this.resend = resend;
		this.mail = mail;
		this.settings = settings;
		this.transaction = new TransactionTemplate(transactions);
	}

	/**
	 * Sends every notice that is due at the given moment.
	 * @param now the moment (the engine's clock when the daily run fires)
	 * @return how many notices were queued
	 */
	public int sendDue(Instant now) {
		int longest = this.settings.noticeDays().get(this.settings.noticeDays().size() - 1);
		List<Expiring> expiring = expiring(now, now.plus(Duration.ofDays(longest)));
		int sent = 0;
		int failed = 0;
		for (Expiring certificate : expiring) {
			int threshold = threshold(certificate, now);
			try {
				Boolean queued = this.transaction.execute((status) -> notice(certificate, threshold, now));
				if (Boolean.TRUE.equals(queued)) {
					sent++;
				}
			}
			catch (DataIntegrityViolationException ex) {
				// Another run wrote this notice at the same moment: it went out once.
				log.info("Expiry notice of serial {} ({} days) was sent by another run", certificate.serialHex(),
						threshold);
			}
			catch (RuntimeException ex) {
				// The others still get theirs; this one is tried again with the run.
				failed++;
				log.warn("Expiry notice of serial {} ({} days) failed: {}", certificate.serialHex(), threshold,
						ex.toString());
			}
		}
		log.info("{} expiry notice(s) sent; {} certificate(s) expire within {} days", sent, expiring.size(), longest);
		if (failed > 0) {
			// The run's step fails and is retried (then an incident in Cockpit); what was
			// sent is not sent again.
			throw new IllegalStateException(failed + " expiry notice(s) could not be sent; see the log");
		}
		return sent;
	}

	/**
	 * The certificates that expire within the digest's horizon, for RA admins.
	 * @param now the moment
	 * @return one line per certificate, soonest first
	 */
	public List<String> digest(Instant now) {
		return expiring(now, now.plus(Duration.ofDays(this.settings.digestDays()))).stream()
			.map((c) -> DAY.format(c.notAfter()) + "  " + c.certificateClass() + "  " + c.email() + "  serial "
					+ c.serialHex())
			.toList();
	}

	/**
	 * @param now the moment
	 * @return whether RA admins get their list today (UTC)
	 */
	public boolean isDigestDay(Instant now) {
		return now.atZone(ZoneOffset.UTC).getDayOfWeek() == this.settings.digestDay();
	}

	/**
	 * @return the digest's horizon in days
	 */
	public int digestDays() {
		return this.settings.digestDays();
	}

	/** The smallest threshold that the days left have reached. */
	private int threshold(Expiring certificate, Instant now) {
		long left = Duration.between(now, certificate.notAfter()).toSeconds();
		for (int days : this.settings.noticeDays()) {
			if (left <= Duration.ofDays(days).toSeconds()) {
				return days;
			}
		}
		throw new IllegalStateException("serial " + certificate.serialHex() + " is not within a notice threshold");
	}

	private boolean notice(Expiring certificate, int threshold, Instant now) {
		Integer noticed = this.jdbc.queryForObject(
				"select count(*) from expiry_notice where issuer = ? and serial_hex = ? and threshold_days <= ?",
				Integer.class, certificate.issuer(), certificate.serialHex(), threshold);
		if (noticed != null && noticed > 0) {
			return false;
		}
		if (renewed(certificate)) {
			return false;
		}
		Optional<String> open = openRenewal(certificate);
		if (open.isPresent() && !open.get().startsWith("INVITED:")) {
			// The holder has applied for the successor; it is with the RA.
			return false;
		}
		// Checked here rather than caught: a refusal inside the invitation use cases
		// would
		// roll back this transaction, notice included.
		String renewalId = open.map((o) -> o.substring("INVITED:".length()))
			.filter((id) -> invitationValid(id, now))
			.orElse(null);
		if (renewalId != null) {
			this.resend.resend(renewalId, SYSTEM);
		}
		else if (classOpen(certificate.certificateClass())) {
			renewalId = this.invite
				.invite(certificate.email(), certificate.fullName(), certificate.certificateClass(), SYSTEM)
				.getRequestId();
		}
		else {
			log.warn("No renewal invitation for serial {}: class {} is retired", certificate.serialHex(),
					certificate.certificateClass());
		}
		CertificateRequest request = this.requests.findById(certificate.requestId()).orElseThrow();
		Map<String, Object> values = new HashMap<>();
		values.put("serial", certificate.serialHex());
		values.put("notAfter", DAY.format(certificate.notAfter()));
		values.put("daysLeft", Math.max(1, (Duration.between(now, certificate.notAfter()).toHours() + 23) / 24));
		values.put("renewal", renewalId != null);
		this.mail.sendExpiryNotice(request, values);
		this.jdbc.update(
				"insert into expiry_notice (issuer, serial_hex, threshold_days, request_id, sent_at, "
						+ "renewal_request_id) values (?, ?, ?, ?, ?, ?)",
				certificate.issuer(), certificate.serialHex(), threshold, certificate.requestId(), Timestamp.from(now),
				renewalId);
		log.info("Expiry notice ({} days) queued for serial {} of request {}; renewal request {}", threshold,
				certificate.serialHex(), certificate.requestId(), renewalId);
		return true;
	}

	private boolean invitationValid(String requestId, Instant now) {
		Integer valid = this.jdbc.queryForObject(
				"select count(*) from invitation where request_id = ? and expires_at > ? and consumed_at is null",
				Integer.class, requestId, Timestamp.from(now));
		return valid != null && valid > 0;
	}

	private boolean classOpen(String name) {
		Integer open = this.jdbc.queryForObject(
				"select count(*) from certificate_class where name = ? and retired_at is null", Integer.class, name);
		return open != null && open > 0;
	}

	/** A newer certificate of the same class for the same mailbox. */
	private boolean renewed(Expiring certificate) {
		Integer newer = this.jdbc.queryForObject(
				"select count(*) from certificate_request r where "
						+ "lower(r.email) = lower(?) and r.certificate_class = ? and r.created_at > ? "
						+ "and r.status in ('ISSUED', 'COLLECTED')",
				Integer.class, certificate.email(), certificate.certificateClass(),
				Timestamp.from(certificate.createdAt()));
		return newer != null && newer > 0;
	}

	/**
	 * The renewal request an earlier notice of this certificate created, while it is
	 * open: "INVITED:id" when it still waits for the application, the status otherwise.
	 */
	private Optional<String> openRenewal(Expiring certificate) {
		return this.jdbc
			.query("select r.request_id, r.status from expiry_notice n join certificate_request r on "
					+ "r.request_id = n.renewal_request_id where n.issuer = ? and n.serial_hex = ? and r.status in "
					+ "('INVITED', 'SUBMITTED', 'PENDING_VALIDATION', 'DEFERRED', 'APPROVED') order by n.sent_at desc",
					(rs, row) -> "INVITED".equals(rs.getString(2)) ? "INVITED:" + rs.getString(1) : rs.getString(2),
					certificate.issuer(), certificate.serialHex())
			.stream()
			.findFirst();
	}

	private List<Expiring> expiring(Instant from, Instant until) {
		return this.jdbc.query(
				"select r.request_id, r.email, r.full_name, r.certificate_class, r.created_at, "
						+ "i.issuer, r.certificate_serial, i.not_after from certificate_request r "
						+ "join issued_certificate i on i.request_id = r.request_id "
						+ "where r.status = 'COLLECTED' and i.not_after > ? and i.not_after <= ? order by i.not_after",
				(rs, row) -> new Expiring(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7),
						rs.getTimestamp(8).toInstant()),
				Timestamp.from(from), Timestamp.from(until));
	}

	/**
	 * A collected certificate that expires within a threshold.
	 *
	 * @param requestId its request
	 * @param email the holder's mailbox
	 * @param fullName the holder's name
	 * @param certificateClass its class
	 * @param createdAt when its request was created
	 * @param issuer the issuing CA
	 * @param serialHex its serial
	 * @param notAfter when it expires
	 */
	record Expiring(String requestId, String email, String fullName, String certificateClass, Instant createdAt,
			String issuer, String serialHex, Instant notAfter) {
	}

}
