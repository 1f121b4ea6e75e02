package org.certflow.request;

import java.time.Clock;
import java.time.Instant;

import org.certflow.CertFlowProperties;
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

	private final CertificateRequests requests;

	private final CertFlowProperties properties;

	private final Clock clock;

	ValidateApplication(CertificateRequests requests, CertFlowProperties properties, Clock clock) {
		this.requests = requests;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The application entered the officers' queue.
	 * @param requestId the request
	 */
	@Transactional
	public void queued(String requestId) {
		find(requestId).moveTo(RequestStatus.PENDING_VALIDATION, this.clock.instant());
	}

	/**
	 * Records an officer's decision.
	 * @param requestId the request
	 * @param decisionValue approve, reject or defer
	 * @param reason the officer's reason; required to reject or defer
	 * @param officer who decided
	 * @return the decision and, for a deferral, when the application returns to the queue
	 */
	@Transactional
	public Outcome decide(String requestId, Object decisionValue, String reason, String officer) {
		Decision decision = checkedDecision(decisionValue, reason);
		String why = (reason != null) ? reason.strip() : "";
		Instant now = this.clock.instant();
		RequestStatus status = switch (decision) {
			case APPROVE -> RequestStatus.APPROVED;
			case REJECT -> RequestStatus.REJECTED;
			case DEFER -> RequestStatus.DEFERRED;
		};
		find(requestId).decided(decision.value(), why.isEmpty() ? null : why, officer, status, now);
		log.info("Request {}: {} by {}", requestId, decision.value(), officer);
		Instant deferredUntil = (decision == Decision.DEFER) ? now.plus(this.properties.validation().deferral()) : null;
		return new Outcome(decision, deferredUntil);
	}

	/**
	 * Checks a decision as an officer sent it, before anything is recorded.
	 * @param decisionValue approve, reject or defer
	 * @param reason the reason; required to reject or defer
	 * @return the decision
	 * @throws RequestException (INVALID) saying what is wrong
	 */
	public static Decision checkedDecision(Object decisionValue, String reason) {
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
