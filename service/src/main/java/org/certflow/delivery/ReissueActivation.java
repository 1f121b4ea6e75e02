package org.certflow.delivery;

import java.time.Instant;

import org.certflow.request.AdminActions;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.RequestEventKind;
import org.certflow.request.RequestEvents;
import org.certflow.request.RequestException;
import org.certflow.request.RequestException.Kind;
import org.certflow.request.RequestStatus;
import org.certflow.request.RequestWorkflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin issues a new activation code and PIN, the way out of an activation
 * locked after too many wrong PINs or a lost mail. The old code stops working in the same
 * transaction, an unsent older mail is superseded, attempts start again, and the
 * process's activation expiry moves to the new code's.
 */
@Service
@RetriedOnLockConflict
public class ReissueActivation {

	private static final Logger log = LoggerFactory.getLogger(ReissueActivation.class);

	private final CertificateRequests requests;

	private final ActivationCodes activations;

	private final SendActivation sendActivation;

	private final RequestWorkflow workflow;

	private final RequestEvents events;

	ReissueActivation(CertificateRequests requests, ActivationCodes activations, SendActivation sendActivation,
			RequestWorkflow workflow, RequestEvents events) {
		this.requests = requests;
		this.activations = activations;
		this.sendActivation = sendActivation;
		this.workflow = workflow;
		this.events = events;
	}

	/**
	 * @param requestId the request
	 * @param by the RA admin
	 * @return when the new code expires
	 * @throws RequestException NOT_FOUND for an unknown request, CONFLICT unless its
	 * certificate awaits collection
	 */
	@Transactional
	public Instant reissue(String requestId, String by) {
		// Locked: two reissues at once run one after the other; the later code wins.
		CertificateRequest request = AdminActions.lock(this.requests, requestId);
		if (request.getStatus() != RequestStatus.ISSUED) {
			throw new RequestException(Kind.CONFLICT,
					"Request " + requestId + " is " + request.getStatus() + ": a new activation code can only be "
							+ "issued while the certificate awaits collection (ISSUED).");
		}
		ActivationCode current = this.activations.findById(requestId)
			.orElseThrow(() -> new RequestException(Kind.CONFLICT, "The first activation mail of request " + requestId
					+ " is still being prepared; wait a moment and look at the request again."));
		if (current.isUsed()) {
			throw new RequestException(Kind.CONFLICT,
					"The certificate of request " + requestId + " has already been collected.");
		}
		boolean wasLocked = current.isLocked();
		this.sendActivation.send(requestId);
		Instant expiresAt = this.activations.findById(requestId).orElseThrow().getExpiresAt();
		this.workflow.activationRenewed(requestId, expiresAt);
		this.events.record(requestId, RequestEventKind.ACTIVATION_REISSUED, by,
				(wasLocked ? "after a lock; " : "") + "expires at " + expiresAt);
		log.info("New activation code for request {} issued by {}", requestId, by);
		return expiresAt;
	}

}
