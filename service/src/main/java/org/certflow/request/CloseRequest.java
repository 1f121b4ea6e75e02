package org.certflow.request;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the ends of a request that did not lead to a certificate: rejection and
 * expiry.
 */
@Service
public class CloseRequest {

	private static final Logger log = LoggerFactory.getLogger(CloseRequest.class);

	private final CertificateRequests requests;

	private final ApplicantMail mail;

	private final RequestEvents events;

	private final Clock clock;

	CloseRequest(CertificateRequests requests, ApplicantMail mail, RequestEvents events, Clock clock) {
		this.requests = requests;
		this.mail = mail;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Rejects the request and tells the applicant why.
	 * @param requestId the request
	 * @param reason the reason given to the applicant
	 */
	@Transactional
	public void reject(String requestId, String reason) {
		CertificateRequest request = find(requestId);
		if (request.getStatus() != RequestStatus.REJECTED) {
			// Officers and the approval policy record their rejections as they decide;
			// the request check and the CA refuse only here.
			this.events.record(requestId, RequestEventKind.REJECTED, RequestEvents.SYSTEM, reason);
		}
		request.rejected(reason, this.clock.instant());
		this.mail.sendRejection(request, request.getDecisionReason());
		log.info("Request {} rejected", requestId);
	}

	/**
	 * The invitation or the activation code ran out.
	 * @param requestId the request
	 */
	@Transactional
	public void expire(String requestId) {
		CertificateRequest request = find(requestId);
		if (request.getStatus() == RequestStatus.REVOKED || request.getStatus() == RequestStatus.CANCELLED) {
			// Revoked or cancelled before it was collected: that is the final word, and
			// the applicant was not waiting for anything more.
			return;
		}
		RequestStatus before = request.getStatus();
		request.moveTo(RequestStatus.EXPIRED, this.clock.instant());
		this.mail.sendExpiry(request);
		this.events.record(requestId, RequestEventKind.EXPIRED, RequestEvents.SYSTEM, (before == RequestStatus.INVITED)
				? "invitation not used in time" : "certificate not collected in time");
		log.info("Request {} expired", requestId);
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

}
