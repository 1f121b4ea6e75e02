package org.certflow.request;

import java.net.URI;

import org.certflow.CertFlowProperties;
import org.certflow.security.Secrets;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: mails the invitation. A new token is drawn on every send and only its hash
 * kept, so a retried or resent mail leaves exactly one working link: the newest.
 */
@Service
public class SendInvitation {

	private final CertificateRequests requests;

	private final Invitations invitations;

	private final ApplicantMail mail;

	private final Secrets secrets;

	private final CertFlowProperties properties;

	SendInvitation(CertificateRequests requests, Invitations invitations, ApplicantMail mail, Secrets secrets,
			CertFlowProperties properties) {
		this.requests = requests;
		this.invitations = invitations;
		this.mail = mail;
		this.secrets = secrets;
		this.properties = properties;
	}

	@Transactional
	public void send(String requestId) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		Invitation invitation = this.invitations.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No invitation for request " + requestId));
		String token = this.secrets.newToken();
		invitation.renew(Secrets.hashToken(token), invitation.getExpiresAt());
		URI link = Links.of(this.properties.publicBaseUrl(), "/apply", "token", token);
		this.mail.sendInvitation(request, link, invitation.getExpiresAt());
	}

}
