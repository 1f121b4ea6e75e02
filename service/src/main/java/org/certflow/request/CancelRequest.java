package org.certflow.request;

import java.time.Clock;

import org.certflow.revocation.RevokeCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin cancels a request before its certificate is collected. In one
 * transaction the request becomes CANCELLED, unsent invitation and activation mails are
 * superseded (their links stop working: invitation and activation refuse a cancelled
 * request), the timeline records who and why, and the process ends through its
 * cancellation event subprocess, which Cockpit shows with the reason. A certificate
 * already issued but not collected is revoked (cessationOfOperation).
 */
@Service
@RetriedOnLockConflict
public class CancelRequest {

	/** The longest reason accepted. */
	public static final int MAX_REASON_LENGTH = 500;

	/** The CRLReason a cancellation revokes an uncollected certificate with. */
	static final String REVOCATION_REASON = "cessationOfOperation";

	private static final Logger log = LoggerFactory.getLogger(CancelRequest.class);

	private final CertificateRequests requests;

	private final ApplicantMail mail;

	private final RequestWorkflow workflow;

	private final RequestEvents events;

	private final RequestTimeline timeline;

	private final RevokeCertificate revokeCertificate;

	private final Clock clock;

	CancelRequest(CertificateRequests requests, ApplicantMail mail, RequestWorkflow workflow, RequestEvents events,
			RequestTimeline timeline, RevokeCertificate revokeCertificate, Clock clock) {
		this.requests = requests;
		this.mail = mail;
		this.workflow = workflow;
		this.events = events;
		this.timeline = timeline;
		this.revokeCertificate = revokeCertificate;
		this.clock = clock;
	}

	/**
	 * @param requestId the request
	 * @param reason why, for the timeline and Cockpit (not mailed to the applicant)
	 * @param by the RA admin
	 * @return the request, now CANCELLED
	 * @throws RequestException INVALID for a missing or too long reason, NOT_FOUND for an
	 * unknown request, CONFLICT once the certificate was collected or the request ended
	 */
	@Transactional
	public CertificateRequest cancel(String requestId, String reason, String by) {
		String why = reason(reason);
		// Locked: of two cancellations at once the second finds the request CANCELLED.
		CertificateRequest request = AdminActions.lock(this.requests, requestId);
		RequestStatus before = request.getStatus();
		if (!CertificateRequest.CANCELLABLE.contains(before)) {
			throw new RequestException(RequestException.Kind.CONFLICT, switch (before) {
				case COLLECTED -> "Request " + requestId + " was collected: its certificate is in use and the request "
						+ "cannot be cancelled. Revoke the certificate instead (POST /api/v1/certificates/"
						+ request.getCertificateSerial() + "/revocation).";
				case CANCELLED -> "Request " + requestId + " is already cancelled.";
				default -> "Request " + requestId + " has ended (" + before + ") and cannot be cancelled.";
			});
		}
		request.moveTo(RequestStatus.CANCELLED, this.clock.instant());
		this.events.record(requestId, RequestEventKind.CANCELLED, by, why);
		this.mail.sendCancellation(request);
		this.workflow.cancelled(requestId, by, why);
		// The CA's record decides, not the status: a certificate signed a moment ago may
		// not be on the request yet.
		this.timeline.certificate(requestId).ifPresent((certificate) -> {
			this.revokeCertificate.revoke(certificate.serial(), REVOCATION_REASON, by);
			if (request.getCertificateSerial() == null) {
				this.events.record(requestId, RequestEventKind.REVOKED, by,
						"serial " + certificate.serial() + ", " + REVOCATION_REASON);
			}
		});
		log.info("Request {} cancelled by {} (was {})", requestId, by, before);
		return request;
	}

	private static String reason(String reason) {
		if (reason == null || reason.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"reason is required: say why the request is cancelled (it is kept on the request's timeline).");
		}
		String why = reason.strip();
		if (why.length() > MAX_REASON_LENGTH) {
			throw new RequestException(RequestException.Kind.INVALID,
					"reason is " + why.length() + " characters long; keep it to " + MAX_REASON_LENGTH + ".");
		}
		if (why.chars().anyMatch((c) -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
			throw new RequestException(RequestException.Kind.INVALID,
					"reason contains control characters; send plain text.");
		}
		return why;
	}

}
