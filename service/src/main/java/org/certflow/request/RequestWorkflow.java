package org.certflow.request;

import java.time.Period;

/**
 * Out-port to the process engine, so that use cases never see engine types. Each method
 * joins the caller's transaction: if the engine refuses, nothing of the use case is
 * stored either.
 */
public interface RequestWorkflow {

	/**
	 * Starts the request's process instance with the request id as business key.
	 * @param request the new request
	 * @param certificateClass its class
	 * @param invitationValidity how long the invitation stays open
	 * @param activationValidity how long the activation code stays open
	 */
	void start(CertificateRequest request, CertificateClass certificateClass, Period invitationValidity,
			Period activationValidity);

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

}
