package org.certflow.request;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin sends the invitation again, for an applicant who lost the mail. A
 * new token is drawn and mailed; the old link stops working in the same transaction, and
 * an older mail not yet sent is superseded. The invitation keeps its expiry.
 */
@Service
@RetriedOnLockConflict
public class ResendInvitation {

	private static final Logger log = LoggerFactory.getLogger(ResendInvitation.class);

	private final CertificateRequests requests;

	private final Invitations invitations;

	private final SendInvitation sendInvitation;

	private final RequestEvents events;

	private final Clock clock;

	ResendInvitation(CertificateRequests requests, Invitations invitations, SendInvitation sendInvitation,
			RequestEvents events, Clock clock) {
		this.requests = requests;
		this.invitations = invitations;
		this.sendInvitation = sendInvitation;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * @param requestId the request
	 * @param by the RA admin
	 * @return the request
	 * @throws RequestException NOT_FOUND for an unknown request, CONFLICT unless it
	 * awaits its application
	 */
	@Transactional
	public CertificateRequest resend(String requestId, String by) {
		// Locked: two resends at once run one after the other, and the later one's link
		// is the only one that works.
		CertificateRequest request = AdminActions.lock(this.requests, requestId);
		if (request.getStatus() != RequestStatus.INVITED) {
			throw new RequestException(RequestException.Kind.CONFLICT,
					"Request " + requestId + " is " + request.getStatus() + ": an invitation can only be sent again "
							+ "while the request awaits its application.");
		}
		Invitation invitation = this.invitations.findById(requestId).orElseThrow();
		if (invitation.isExpiredAt(this.clock.instant())) {
			throw new RequestException(RequestException.Kind.CONFLICT, "The invitation of request " + requestId
					+ " expired at " + invitation.getExpiresAt() + ". Invite the applicant again.");
		}
		this.sendInvitation.send(requestId);
		this.events.record(requestId, RequestEventKind.INVITATION_RESENT, by, null);
		log.info("Invitation of request {} sent again by {}", requestId, by);
		return request;
	}

}
