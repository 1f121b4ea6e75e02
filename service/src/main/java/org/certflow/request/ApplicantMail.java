package org.certflow.request;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Out-port: the mails an applicant receives. Implementations never log links, codes or
 * PINs.
 */
public interface ApplicantMail {

	void sendInvitation(CertificateRequest request, URI applicationLink, Instant expiresAt);

	/**
	 * Confirms a submission, with the link to the status page.
	 * @param request the submitted request
	 * @param statusLink the status link (a capability)
	 */
	void sendConfirmation(CertificateRequest request, URI statusLink);

	void sendRejection(CertificateRequest request, String reason);

	void sendActivation(CertificateRequest request, URI activationLink, String pin, Instant expiresAt);

	void sendExpiry(CertificateRequest request);

	/**
	 * Tells the applicant that the request waits, and until when.
	 * @param request the deferred request
	 * @param until when it returns to the officers
	 */
	void sendDeferral(CertificateRequest request, Instant until);

	/**
	 * Tells the applicant the request was cancelled; unsent invitation, activation and
	 * deferral mails of the request are superseded.
	 * @param request the cancelled request
	 */
	void sendCancellation(CertificateRequest request);

	/**
	 * Tells a holder that the certificate of a request expires soon.
	 * @param request the certificate's request
	 * @param values the values of {@code templates/mail/expiry-notice.txt}: serial,
	 * notAfter, daysLeft, renewal (whether an invitation to renew follows)
	 */
	void sendExpiryNotice(CertificateRequest request, Map<String, Object> values);

}
