package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.certflow.CertFlowProperties;
import org.certflow.processes.CertificateRequestProcess.ApprovalRoute;
import org.certflow.processes.CertificateRequestProcess.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: a validation officer's work on an application. The decision is checked and
 * recorded in the same transaction that completes the officer's task, so a refused
 * decision leaves the task open.
 */
@Service
public class ValidateApplication {

	private static final Logger log = LoggerFactory.getLogger(ValidateApplication.class);

	private static final int MAX_REASON_LENGTH = 2000;

	private static final int MAX_DEFERRAL_DAYS = 365;

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	/**
	 * The timeline entries an officer needs to see again: decisions and their reasons.
	 */
	private static final Set<RequestEventKind> DECISIONS = EnumSet.of(RequestEventKind.ROUTED,
			RequestEventKind.APPROVED, RequestEventKind.FIRST_APPROVAL, RequestEventKind.REJECTED,
			RequestEventKind.DEFERRED, RequestEventKind.DEFERRAL_ELAPSED, RequestEventKind.ESCALATED);

	private final CertificateRequests requests;

	private final RequestEvents events;

	private final ApplicantMail mail;

	private final CertFlowProperties properties;

	private final Clock clock;

	ValidateApplication(CertificateRequests requests, RequestEvents events, ApplicantMail mail,
			CertFlowProperties properties, Clock clock) {
		this.requests = requests;
		this.events = events;
		this.mail = mail;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The application entered the officers' queue (again, after a deferral).
	 * @param requestId the request
	 */
	@Transactional
	public void queued(String requestId) {
		CertificateRequest request = find(requestId);
		if (request.getStatus() == RequestStatus.DEFERRED) {
			this.events.record(requestId, RequestEventKind.DEFERRAL_ELAPSED, RequestEvents.SYSTEM,
					"Back with the validation officers after the deferral.");
		}
		request.moveTo(RequestStatus.PENDING_VALIDATION, this.clock.instant());
	}

	/**
	 * What an officer sees of the applicant's contact data when a task is created.
	 * @param requestId the request
	 * @return phone and organisation as given, or a line saying there are none
	 */
	@Transactional(readOnly = true)
	public String applicantContact(String requestId) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		String phone = request.getPhone();
		String organisation = request.getOrganisation();
		if (phone == null && organisation == null) {
			return "None given.";
		}
		return ((phone != null) ? "Phone " + phone : "No phone") + ((organisation != null) ? "; " + organisation : "");
	}

	/**
	 * What an officer sees of the earlier decisions when a task is created: every
	 * decision on the timeline with who, when and why, oldest first.
	 * @param requestId the request
	 * @return one line per decision, or a line saying there is none
	 */
	@Transactional(readOnly = true)
	public String earlierDecisions(String requestId) {
		List<String> lines = earlierDecisionLines(requestId);
		return lines.isEmpty() ? "No earlier decisions." : String.join("\n", lines);
	}

	/**
	 * @param requestId the request
	 * @return one line per earlier decision (when, what, who, why), oldest first
	 */
	@Transactional(readOnly = true)
	public List<String> earlierDecisionLines(String requestId) {
		List<String> lines = new ArrayList<>();
		for (RequestEvents.RequestEvent event : this.events.timeline(requestId)) {
			if (DECISIONS.contains(event.kind())) {
				lines.add(WHEN.format(event.occurredAt()) + " " + event.kind() + " by " + event.actor()
						+ ((event.detail() != null) ? ": " + event.detail() : ""));
			}
		}
		return lines;
	}

	/**
	 * Records an officer's decision.
	 * @param requestId the request
	 * @param decisionValue approve, reject or defer
	 * @param reason the officer's reason; required to reject or defer
	 * @param deferUntil optional ISO date on which a deferred application comes back
	 * @param officer who decided
	 * @param secondApproval whether this is the second approval task of dual control
	 * @return the decision and, for a deferral, when the application returns to the queue
	 * @throws RequestException (INVALID) for a decision that cannot be recorded,
	 * (CONFLICT) for an approval the dual control forbids this officer to give
	 */
	@Transactional
	public Outcome decide(String requestId, Object decisionValue, String reason, String deferUntil, String officer,
			boolean secondApproval) {
		Instant now = this.clock.instant();
		Decision decision = checkedDecision(decisionValue, reason, deferUntil, now);
		String why = (reason != null) ? reason.strip() : "";
		CertificateRequest request = find(requestId);
		if (request.getStatus() != RequestStatus.PENDING_VALIDATION) {
			// Another officer's completion of the same task committed first: this one
			// read the task before that commit, and the request after it.
			throw new RequestException(RequestException.Kind.STALE, "Request " + requestId + " was decided meanwhile ("
					+ request.getStatus() + "); nothing of yours was stored. Reload the task list.");
		}
		boolean dualControl = ApprovalRoute.DUAL_CONTROL.name().equals(request.getApprovalRoute());
		if (decision == Decision.APPROVE && dualControl) {
			if (officer.equals(request.getCreatedBy())) {
				throw new RequestException(RequestException.Kind.CONFLICT, "You entered this request, so under dual "
						+ "control you may not approve it. Another validation officer must approve it.");
			}
			if (secondApproval && officer.equals(request.getFirstApprovedBy())) {
				throw new RequestException(RequestException.Kind.CONFLICT, "You gave the first approval of this "
						+ "request; the second approval must come from a different validation officer.");
			}
			if (!secondApproval) {
				request.firstApproval(officer, now);
				this.events.record(requestId, RequestEventKind.FIRST_APPROVAL, officer,
						why.isEmpty() ? "First of two approvals." : why);
				log.info("Request {}: first approval by {}", requestId, officer);
				return new Outcome(decision, null);
			}
		}
		RequestStatus status = switch (decision) {
			case APPROVE -> RequestStatus.APPROVED;
			case REJECT -> RequestStatus.REJECTED;
			case DEFER -> RequestStatus.DEFERRED;
		};
		Instant deferredUntil = null;
		if (decision == Decision.DEFER) {
			deferredUntil = (deferUntil != null && !deferUntil.isBlank())
					? LocalDate.parse(deferUntil.strip()).atStartOfDay(ZoneOffset.UTC).toInstant()
					: now.plus(this.properties.validation().deferral());
		}
		// The process routes on what is recorded here (RouteRequest), not on the
		// variables the officer sent.
		request.decided(decision.value(), why.isEmpty() ? null : why, officer, status, deferredUntil, now);
		switch (decision) {
			case APPROVE -> this.events.record(requestId, RequestEventKind.APPROVED, officer,
					(secondApproval ? "Second approval (first by " + request.getFirstApprovedBy() + ")" : "Approved")
							+ (why.isEmpty() ? "." : ": " + why));
			case REJECT -> this.events.record(requestId, RequestEventKind.REJECTED, officer, why);
			case DEFER -> {
				this.events.record(requestId, RequestEventKind.DEFERRED, officer,
						"until " + deferredUntil + ": " + why);
				this.mail.sendDeferral(request, deferredUntil);
			}
		}
		log.info("Request {}: {} by {}", requestId, decision.value(), officer);
		return new Outcome(decision, deferredUntil);
	}

	/**
	 * Checks a decision as an officer sent it, before anything is recorded.
	 * @param decisionValue approve, reject or defer
	 * @param reason the reason; required to reject or defer
	 * @param deferUntil optional ISO date for a deferral: after today, within a year
	 * @param now the current time
	 * @return the decision
	 * @throws RequestException (INVALID) saying what is wrong
	 */
	public static Decision checkedDecision(Object decisionValue, String reason, String deferUntil, Instant now) {
		Decision decision;
		try {
			decision = Decision.of(decisionValue);
		}
		catch (IllegalArgumentException ex) {
			throw new RequestException(RequestException.Kind.INVALID, ex.getMessage());
		}
		String why = (reason != null) ? reason.strip() : "";
		if (decision != Decision.APPROVE && why.isEmpty()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"A reason is required to " + decision.value() + " an application.");
		}
		if (why.length() > MAX_REASON_LENGTH) {
			throw new RequestException(RequestException.Kind.INVALID,
					"The reason is longer than " + MAX_REASON_LENGTH + " characters.");
		}
		if (decision == Decision.DEFER && deferUntil != null && !deferUntil.isBlank()) {
			LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
			LocalDate day;
			try {
				day = LocalDate.parse(deferUntil.strip());
			}
			catch (DateTimeParseException ex) {
				throw new RequestException(RequestException.Kind.INVALID,
						"Defer until must be a date such as " + today.plusDays(7) + ".");
			}
			if (!day.isAfter(today) || day.isAfter(today.plusDays(MAX_DEFERRAL_DAYS))) {
				throw new RequestException(RequestException.Kind.INVALID, "Defer until must be after today and "
						+ "within " + MAX_DEFERRAL_DAYS + " days, not " + day + ".");
			}
		}
		return decision;
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

	/**
	 * A recorded decision.
	 *
	 * @param decision what the officer decided
	 * @param deferredUntil when a deferred application returns to the queue, else
	 * {@code null}
	 */
	public record Outcome(Decision decision, Instant deferredUntil) {
	}

}
