package org.certflow.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;

import org.certflow.CertFlowProperties;
import org.certflow.request.ApplicantMail;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.Links;
import org.certflow.security.Secrets;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: mails the activation link and the one-time PIN for an issued certificate. Code
 * and PIN are drawn on every send and only their hashes kept, so a retried mail leaves
 * one working pair: the newest.
 */
@Service
public class SendActivation {

	private final CertificateRequests requests;

	private final ActivationCodes activations;

	private final ApplicantMail mail;

	private final Secrets secrets;

	private final CertFlowProperties properties;

	private final Clock clock;

	SendActivation(CertificateRequests requests, ActivationCodes activations, ApplicantMail mail, Secrets secrets,
			CertFlowProperties properties, Clock clock) {
		this.requests = requests;
		this.activations = activations;
		this.mail = mail;
		this.secrets = secrets;
		this.properties = properties;
		this.clock = clock;
	}

	@Transactional
	public void send(String requestId) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		String code = this.secrets.newToken();
		String pin = this.secrets.newPin();
		Instant expiresAt = this.clock.instant().plus(this.properties.activation().validity());
		String codeHash = Secrets.hashToken(code);
		String pinHash = this.secrets.hashPin(pin);
		this.activations.findById(requestId)
			.ifPresentOrElse((existing) -> existing.renew(codeHash, pinHash, expiresAt),
					() -> this.activations.save(new ActivationCode(requestId, codeHash, pinHash, expiresAt)));
		URI link = Links.of(this.properties.publicBaseUrl(), "/activate", "code", code);
		this.mail.sendActivation(request, link, pin, expiresAt);
	}

}
