package org.certflow.request;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** In-port: records on the request that its certificate was issued. */
@Service
public class RequestIssuance {

	private final CertificateRequests requests;

	private final RequestEvents events;

	private final Clock clock;

	RequestIssuance(CertificateRequests requests, RequestEvents events, Clock clock) {
		this.requests = requests;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Records the issued certificate. A retried signing step finds the request already
	 * past APPROVED and leaves its status alone.
	 * @param requestId the request
	 * @param serialHex the certificate's serial
	 */
	@Transactional
	public void issued(String requestId, String serialHex) {
		if (this.requests.markIssued(requestId, serialHex, RequestStatus.APPROVED, RequestStatus.ISSUED,
				this.clock.instant()) == 1) {
			this.events.record(requestId, RequestEventKind.ISSUED, RequestEvents.SYSTEM, "serial " + serialHex);
		}
	}

	/**
	 * Marks the request of a revoked certificate. A cancelled request stays CANCELLED:
	 * its certificate is revoked as part of the cancellation, which the timeline shows.
	 * @param serialHex the certificate's serial
	 * @param reason the RFC 5280 reason name
	 * @param by the RA admin
	 * @param now when
	 */
	@Transactional
	public void revoked(String serialHex, String reason, String by, Instant now) {
		this.requests.findByCertificateSerial(serialHex).ifPresent((request) -> {
			if (request.getStatus() != RequestStatus.CANCELLED) {
				request.moveTo(RequestStatus.REVOKED, now);
			}
			this.events.record(request.getRequestId(), RequestEventKind.REVOKED, by,
					"serial " + serialHex + ", " + reason);
		});
	}

	/**
	 * Marks a request whose certificate the CA has revoked, found at collection.
	 * @param requestId the request
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public void certificateRevoked(String requestId) {
		CertificateRequest request = find(requestId);
		if (request.getStatus() != RequestStatus.REVOKED) {
			request.moveTo(RequestStatus.REVOKED, this.clock.instant());
			this.events.record(requestId, RequestEventKind.REVOKED, RequestEvents.SYSTEM, "found revoked by the CA");
		}
	}

	/**
	 * The applicant collected the certificate.
	 * @param requestId the request
	 * @throws RequestException (CONFLICT) when the request is not ISSUED (expired,
	 * revoked); nothing was changed then, and the caller's transaction (which counts
	 * PINs) may still commit
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public void collected(String requestId) {
		CertificateRequest request = find(requestId);
		request.moveTo(RequestStatus.COLLECTED, this.clock.instant());
		this.events.record(requestId, RequestEventKind.COLLECTED, request.getEmail(), null);
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

}
