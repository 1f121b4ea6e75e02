package org.certflow.request;

import java.net.URI;
import java.time.Instant;

/**
 * Out-port: the mails an applicant receives. Implementations never log links, codes or
 * PINs.
 */
public interface ApplicantMail {

	void sendInvitation(CertificateRequest request, URI applicationLink, Instant expiresAt);

	void sendRejection(CertificateRequest request, String reason);

	void sendActivation(CertificateRequest request, URI activationLink, String pin, Instant expiresAt);

	void sendExpiry(CertificateRequest request);

	/**
	 * Tells the applicant the request was cancelled; unsent invitation and activation
	 * mails of the request are superseded.
	 * @param request the cancelled request
	 */
	void sendCancellation(CertificateRequest request);

}
