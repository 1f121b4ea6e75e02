package org.certflow.request;

/**
 * Business status of a certificate request, kept in our table beside the engine's state.
 */
public enum RequestStatus {

	INVITED, SUBMITTED, PENDING_VALIDATION, DEFERRED, APPROVED, ISSUED, COLLECTED, REJECTED, EXPIRED, REVOKED,

	/** Ended by an RA admin before collection (appended: stored by name). */
	CANCELLED

}
