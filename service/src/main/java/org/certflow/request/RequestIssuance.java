package org.certflow.request;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** In-port: records on the request that its certificate was issued. */
@Service
public class RequestIssuance {

	private final CertificateRequests requests;

	private final Clock clock;

	RequestIssuance(CertificateRequests requests, Clock clock) {
		this.requests = requests;
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
		this.requests.markIssued(requestId, serialHex, RequestStatus.APPROVED, RequestStatus.ISSUED,
				this.clock.instant());
	}

	/**
	 * Marks the request of a revoked certificate.
	 * @param serialHex the certificate's serial
	 * @param now when
	 */
	@Transactional
	public void revoked(String serialHex, Instant now) {
		this.requests.findByCertificateSerial(serialHex)
			.ifPresent((request) -> request.moveTo(RequestStatus.REVOKED, now));
	}

	/**
	 * Marks a request whose certificate the CA has revoked, found at collection.
	 * @param requestId the request
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public void certificateRevoked(String requestId) {
		find(requestId).moveTo(RequestStatus.REVOKED, this.clock.instant());
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
		find(requestId).moveTo(RequestStatus.COLLECTED, this.clock.instant());
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

}
