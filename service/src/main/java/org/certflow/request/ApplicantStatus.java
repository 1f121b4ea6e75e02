package org.certflow.request;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.certflow.CertFlowProperties;
import org.certflow.security.Secrets;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the applicant's read-only view of their request, behind a status link mailed
 * on submission. The link is a capability of its own (random, only its hash stored),
 * separate from the invitation: it shows where the request is and never more than the
 * applicant may know (no officer, note, route or other request).
 */
@Service
public class ApplicantStatus {

	/** How long the link keeps working after the request ended. */
	public static final Duration AFTER_END = Duration.ofDays(30);

	private static final Set<RequestStatus> ENDED = EnumSet.of(RequestStatus.COLLECTED, RequestStatus.REJECTED,
			RequestStatus.EXPIRED, RequestStatus.CANCELLED, RequestStatus.REVOKED);

	// What the applicant may see of the timeline: steps they took or were told of by
	// mail.
	// Routing, escalation and a first approval under dual control are the RA's business.
	private static final Set<RequestEventKind> APPLICANT_SAFE = EnumSet.of(RequestEventKind.SUBMITTED,
			RequestEventKind.SUBMITTED_ON_BEHALF, RequestEventKind.APPROVED, RequestEventKind.REJECTED,
			RequestEventKind.DEFERRED, RequestEventKind.DEFERRAL_ELAPSED, RequestEventKind.ISSUED,
			RequestEventKind.ACTIVATION_REISSUED, RequestEventKind.COLLECTED, RequestEventKind.CANCELLED,
			RequestEventKind.EXPIRED, RequestEventKind.REVOKED);

	private final JdbcTemplate jdbc;

	private final CertificateRequests requests;

	private final RequestEvents events;

	private final ApplicantMail mail;

	private final Secrets secrets;

	private final CertFlowProperties properties;

	private final Clock clock;

	ApplicantStatus(JdbcTemplate jdbc, CertificateRequests requests, RequestEvents events, ApplicantMail mail,
			Secrets secrets, CertFlowProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.requests = requests;
		this.events = events;
		this.mail = mail;
		this.secrets = secrets;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Draws the status link of a just submitted request and queues the confirmation mail
	 * that carries it, in the submission's transaction.
	 * @param request the submitted request
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void confirm(CertificateRequest request) {
		String token = this.secrets.newToken();
		this.jdbc.update("delete from status_link where request_id = ?", request.getRequestId());
		this.jdbc.update("insert into status_link (request_id, token_hash, created_at) values (?, ?, ?)",
				request.getRequestId(), Secrets.hashToken(token), Timestamp.from(this.clock.instant()));
		URI link = Links.of(this.properties.publicBaseUrl(), "/status", "token", token);
		this.mail.sendConfirmation(request, link);
	}

	/**
	 * @param token the token from the status link
	 * @return what the applicant may know of the request
	 */
	@Transactional(readOnly = true)
	public View show(String token) {
		if (token == null || token.isBlank() || token.length() > 128) {
			throw unknown();
		}
		List<String> ids = this.jdbc.queryForList("select request_id from status_link where token_hash = ?",
				String.class, Secrets.hashToken(token));
		if (ids.isEmpty()) {
			throw unknown();
		}
		CertificateRequest request = this.requests.findById(ids.get(0)).orElseThrow(ApplicantStatus::unknown);
		if (ENDED.contains(request.getStatus())
				&& this.clock.instant().isAfter(request.getUpdatedAt().plus(AFTER_END))) {
			throw new RequestException(RequestException.Kind.GONE,
					"This status link stopped working " + AFTER_END.toDays() + " days after your request ended. "
							+ "Ask your registration authority if you need to know more.");
		}
		List<Step> steps = new ArrayList<>();
		for (RequestEvents.RequestEvent event : this.events.timeline(request.getRequestId())) {
			if (!APPLICANT_SAFE.contains(event.kind())) {
				continue;
			}
			// Submission is written twice (system and applicant); the applicant sees one.
			if (!steps.isEmpty() && steps.get(steps.size() - 1).kind() == event.kind()
					&& event.kind() == RequestEventKind.SUBMITTED) {
				continue;
			}
			steps.add(new Step(event.kind(), event.occurredAt()));
		}
		boolean batch = Boolean.FALSE.equals(request.getClassIssueImmediately());
		String reason = (request.getStatus() == RequestStatus.REJECTED) ? request.getDecisionReason() : null;
		Instant deferredUntil = (request.getStatus() == RequestStatus.DEFERRED) ? request.getDeferredUntil() : null;
		return new View(request.getRequestId(), request.getStatus(), request.getFullName(), request.getEmail(),
				request.getCertificateClass(), request.getKeyDescription(), deferredUntil, reason, batch, steps);
	}

	private static RequestException unknown() {
		return new RequestException(RequestException.Kind.NOT_FOUND,
				"This status link is not valid. Check that you copied the whole link from your confirmation mail; "
						+ "if it still does not work, ask your registration authority.");
	}

	/**
	 * The applicant's view of a request.
	 *
	 * @param requestId the request's id (quoted in every mail)
	 * @param status where it is
	 * @param fullName the applicant's name
	 * @param email the mailbox
	 * @param certificateClass the class
	 * @param keyDescription the key sent, or {@code null}
	 * @param deferredUntil until when a deferred request waits, else {@code null}
	 * @param rejectionReason the reason the officer gave the applicant, else {@code null}
	 * @param issuedInBatches whether the class issues in runs rather than at once
	 * @param steps the applicant-safe timeline, oldest first
	 */
	public record View(String requestId, RequestStatus status, String fullName, String email, String certificateClass,
			String keyDescription, Instant deferredUntil, String rejectionReason, boolean issuedInBatches,
			List<Step> steps) {
	}

	/**
	 * One step of the timeline as the applicant sees it: what and when, never who.
	 *
	 * @param kind what happened
	 * @param at when
	 */
	public record Step(RequestEventKind kind, Instant at) {
	}

}
