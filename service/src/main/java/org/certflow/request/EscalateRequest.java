package org.certflow.request;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: a request's validation stayed undecided for its class's escalation time. The
 * request is flagged (the RAMC and the API show it) and the timeline says who now shares
 * the task and why.
 */
@Service
public class EscalateRequest {

	private static final Logger log = LoggerFactory.getLogger(EscalateRequest.class);

	private final CertificateRequests requests;

	private final RequestEvents events;

	private final Clock clock;

	EscalateRequest(CertificateRequests requests, RequestEvents events, Clock clock) {
		this.requests = requests;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * @param requestId the request whose validation task was escalated
	 * @param group the group the task was escalated to
	 * @param after how long it had been undecided (ISO-8601)
	 */
	@Transactional
	public void escalate(String requestId, String group, String after) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		Instant now = this.clock.instant();
		request.escalated(now);
		this.events.record(requestId, RequestEventKind.ESCALATED, RequestEvents.SYSTEM,
				"Undecided for " + after + "; the task was escalated to " + group + ".");
		log.info("Request {} escalated to {} after {} undecided", requestId, group, after);
	}

}
