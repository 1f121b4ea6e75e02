package org.certflow.billing;

import java.time.Instant;

/**
 * A billing event as RA admins see it.
 *
 * @param eventId the event
 * @param kind ISSUANCE or REVOCATION
 * @param requestId the certificate's request, if the RA knows it
 * @param certificateClass the request's class
 * @param billingCode the class's billing code when the event was written
 * @param issuerDn the issuing CA
 * @param serialHex the certificate's serial, lowercase hex
 * @param reason the revocation reason (RFC 5280 name); null for an issuance
 * @param occurredAt when the certificate was issued or revoked
 * @param status PENDING, SENT or FAILED
 * @param attempts calls made so far
 * @param nextAttemptAt when a PENDING event is tried next
 * @param sentAt when the billing system took it
 * @param lastError what went wrong last, for admins
 * @param idempotencyKey the key sent with it
 */
public record BillingEvent(String eventId, String kind, String requestId, String certificateClass, String billingCode,
		String issuerDn, String serialHex, String reason, Instant occurredAt, String status, int attempts,
		Instant nextAttemptAt, Instant sentAt, String lastError, String idempotencyKey) {

	/** Event kinds. */
	public static final String ISSUANCE = "ISSUANCE";

	/** Event kinds. */
	public static final String REVOCATION = "REVOCATION";

	/** Statuses. */
	public static final String PENDING = "PENDING";

	/** Statuses. */
	public static final String SENT = "SENT";

	/** Statuses. */
	public static final String FAILED = "FAILED";

}
