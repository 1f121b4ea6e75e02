package org.certflow.request;

/**
 * What happened to a request, as its timeline shows it. New kinds are added at the end;
 * stored by name.
 */
public enum RequestEventKind {

	/** An RA admin invited the applicant. */
	INVITED,
	/** The invitation was sent again with a new link; the old one stopped working. */
	INVITATION_RESENT,
	/** An RA admin entered the request on the applicant's behalf. */
	SUBMITTED_ON_BEHALF,
	/** The applicant submitted the application. */
	SUBMITTED,
	/** The approval policy routed the request (detail: the outcome). */
	ROUTED,
	/** Approved by an officer or the policy. */
	APPROVED,
	/** The first of two approvals under dual control. */
	FIRST_APPROVAL,
	/** Rejected by an officer, the policy or the CA (detail: the reason). */
	REJECTED,
	/** Deferred (detail: until when and why). */
	DEFERRED,
	/** A deferral ran out and the request is back with the officers. */
	DEFERRAL_ELAPSED,
	/** Undecided for the class's escalation time; sent to the supervisors. */
	ESCALATED,
	/** An issuance run released the approved request to signing (detail: the run). */
	RELEASED,
	/** The CA issued the certificate (detail: the serial). */
	ISSUED,
	/** A new activation code was issued; the old one stopped working. */
	ACTIVATION_REISSUED,
	/** The applicant collected the certificate. */
	COLLECTED,
	/** An RA admin cancelled the request (detail: the reason). */
	CANCELLED,
	/** The invitation or activation ran out. */
	EXPIRED,
	/** The certificate was revoked (detail: the reason). */
	REVOKED,
	/** The server made the key pair of a SERVER request (detail: its type). */
	KEY_MADE,
	/** The applicant downloaded the server-made key; the server's copy is deleted. */
	KEY_DELIVERED,
	/** A server-made key was deleted without delivery (detail: why). */
	KEY_DELETED

}
