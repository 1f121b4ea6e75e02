package org.certflow.request;

import java.time.Clock;

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

	@Transactional
	public void issued(String requestId, String serialHex) {
		this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId))
			.issued(serialHex, this.clock.instant());
	}

	@Transactional
	public void collected(String requestId) {
		this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId))
			.moveTo(RequestStatus.COLLECTED, this.clock.instant());
	}

}
