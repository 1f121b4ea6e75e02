package org.certflow.delivery;

import java.time.Instant;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: when a request's activation code expires, as its record says; the process's
 * expiry timer is set from here.
 */
@Service
public class ActivationDeadline {

	private final ActivationCodes activations;

	ActivationDeadline(ActivationCodes activations) {
		this.activations = activations;
	}

	/**
	 * @param requestId a request whose activation mail has been sent
	 * @return when its activation code expires
	 */
	@Transactional(readOnly = true)
	public Instant expiresAt(String requestId) {
		return this.activations.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No activation code for request " + requestId))
			.getExpiresAt();
	}

}
