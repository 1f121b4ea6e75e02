package org.certflow.request;

import java.time.Instant;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: what the request process needs to know where it branches or sets a timer,
 * answered from our records. Process variables cannot be trusted for this: whoever may
 * work on a task may be able to write them.
 */
@Service
public class RouteRequest {

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final Invitations invitations;

	private final java.time.Clock clock;

	RouteRequest(CertificateRequests requests, CertificateClasses classes, Invitations invitations,
			java.time.Clock clock) {
		this.clock = clock;
		this.requests = requests;
		this.classes = classes;
		this.invitations = invitations;
	}

	/**
	 * @param requestId the request
	 * @return whether its class signs on approval rather than in the next batch
	 */
	@Transactional(readOnly = true)
	public boolean issuesImmediately(String requestId) {
		CertificateRequest request = find(requestId);
		// The setting copied at submission; older requests read their class.
		if (request.getClassIssueImmediately() != null) {
			return request.getClassIssueImmediately();
		}
		String className = request.getCertificateClass();
		return this.classes.findById(className)
			.orElseThrow(() -> new IllegalStateException("Request " + requestId + " has unknown class " + className))
			.isIssueImmediately();
	}

	/**
	 * @param requestId the request
	 * @return the officer's last recorded decision (approve, reject or defer), or
	 * {@code null} before any
	 */
	@Transactional(readOnly = true)
	public String decision(String requestId) {
		return find(requestId).getDecision();
	}

	/**
	 * @param requestId the request
	 * @return when its invitation expires
	 */
	@Transactional(readOnly = true)
	public Instant invitationExpiresAt(String requestId) {
		return this.invitations.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No invitation for request " + requestId))
			.getExpiresAt();
	}

	/**
	 * @param requestId a deferred request
	 * @return when it returns to the officers' queue
	 */
	@Transactional(readOnly = true)
	public Instant deferredUntil(String requestId) {
		Instant until = find(requestId).getDeferredUntil();
		if (until == null) {
			throw new IllegalStateException("Request " + requestId + " has no deferral recorded");
		}
		return until;
	}

	/**
	 * @param requestId the request
	 * @return how long its validation may stay undecided before the supervisors are
	 * added, as an ISO-8601 duration; a class without an escalation time gets
	 * {@link #NEVER}
	 */
	@Transactional(readOnly = true)
	public String escalationAfter(String requestId) {
		String className = find(requestId).getCertificateClass();
		String after = this.classes.findById(className)
			.orElseThrow(() -> new IllegalStateException("Request " + requestId + " has unknown class " + className))
			.getEscalationAfter();
		return (after == null || after.isBlank()) ? NEVER : after;
	}

	/**
	 * The escalation time of a class that never escalates: a BPMN timer needs a due date,
	 * and this one lies beyond any certificate's life.
	 */
	public static final String NEVER = "P36500D";

	/**
	 * @param requestId the request whose validation task is being created
	 * @return when that task is escalated if still undecided
	 */
	@Transactional(readOnly = true)
	public Instant escalatesAt(String requestId) {
		return this.clock.instant().plus(java.time.Duration.parse(escalationAfter(requestId)));
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

}
