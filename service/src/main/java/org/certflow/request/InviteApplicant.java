package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.certflow.CertFlowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin invites an applicant. Stores the request and its invitation and
 * starts the process in one transaction; the invitation mail is sent by the process,
 * after commit.
 */
@Service
@RetriedOnLockConflict
public class InviteApplicant {

	private static final Logger log = LoggerFactory.getLogger(InviteApplicant.class);

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final Invitations invitations;

	private final RequestWorkflow workflow;

	private final CertFlowProperties properties;

	private final RequestEvents events;

	private final Clock clock;

	InviteApplicant(CertificateRequests requests, CertificateClasses classes, Invitations invitations,
			RequestWorkflow workflow, CertFlowProperties properties, RequestEvents events, Clock clock) {
		this.events = events;
		this.requests = requests;
		this.classes = classes;
		this.invitations = invitations;
		this.workflow = workflow;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Invites an applicant.
	 * @param email the applicant's mailbox; the invitation goes there and it becomes the
	 * SAN
	 * @param fullName the applicant's name as the RA knows it
	 * @param certificateClass the class to issue
	 * @param invitedBy the RA admin
	 * @return the new request
	 */
	@Transactional
	public CertificateRequest invite(String email, String fullName, String certificateClass, String invitedBy) {
		String mailbox = ApplicantData.email(email);
		String name = ApplicantData.fullName(fullName);
		CertificateClass cls = ClassChoice.forNewRequest(this.classes, certificateClass);
		Instant now = this.clock.instant();
		CertificateRequest request = new CertificateRequest(UUID.randomUUID().toString(), cls.getName(), mailbox, name,
				invitedBy, now);
		// Flushed now: the timeline event below refers to the row.
		this.requests.saveAndFlush(request);
		// The token itself is made when the mail is sent (SendInvitation): only then is
		// there a
		// place to put it, since the table keeps its hash only. Until then no token
		// matches.
		Instant expiresAt = now.plus(this.properties.invitation().validity());
		this.invitations.save(new Invitation(request.getRequestId(), "unsent-" + request.getRequestId(), expiresAt));
		this.workflow.start(request, cls);
		this.events.record(request.getRequestId(), RequestEventKind.INVITED, invitedBy, null);
		log.info("Request {} created by {} for class {}", request.getRequestId(), invitedBy, cls.getName());
		return request;
	}

}
