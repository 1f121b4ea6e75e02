package org.certflow.request;

/**
 * Out-port to the process engine, so that use cases never see engine types. Each method
 * joins the caller's transaction: if the engine refuses, nothing of the use case is
 * stored either.
 */
public interface RequestWorkflow {

	/**
	 * Starts the request's process instance with the request id as business key. The
	 * process reads the validity periods and the class's issuing mode from our records
	 * when it needs them.
	 * @param request the new request
	 * @param certificateClass its class
	 */
	void start(CertificateRequest request, CertificateClass certificateClass);

	/**
	 * Tells the process that the applicant submitted, with what the officer will see.
	 * @param request the request after submission
	 * @param subjectDn the subject DN that will be signed
	 */
	void applicationSubmitted(CertificateRequest request, String subjectDn);

	/**
	 * Tells the process that the applicant collected the certificate.
	 * @param requestId the request id
	 */
	void certificateCollected(String requestId);

	/**
	 * Starts the process of a request an RA admin entered on the applicant's behalf: no
	 * invitation, straight to the check.
	 * @param request the new request, SUBMITTED
	 * @param certificateClass its class
	 * @param subjectDn the subject DN that will be signed
	 */
	void startOnBehalf(CertificateRequest request, CertificateClass certificateClass, String subjectDn);

	/**
	 * Ends the request's process wherever it waits.
	 * @param requestId the request id
	 * @param cancelledBy the RA admin
	 * @param reason why
	 */
	void cancelled(String requestId, String cancelledBy, String reason);

	/**
	 * Moves the activation expiry of a request awaiting collection to a new code's
	 * expiry.
	 * @param requestId the request id
	 * @param expiresAt when the new activation code expires
	 */
	void activationRenewed(String requestId, java.time.Instant expiresAt);

	/**
	 * Releases an approved request of a class that issues in batches to signing.
	 * @param requestId the request
	 * @return whether its process was waiting for the release
	 */
	boolean issuanceReleased(String requestId);

	/**
	 * Starts an issuance run an RA admin asked for.
	 * @param runId the run id, the run's business key
	 */
	void issuanceRunRequested(String runId);

}
