package org.certflow.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.certflow.request.ApplicantMail;
import org.certflow.request.CertificateRequest;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes the applicant's mails from plain-text templates under {@code templates/mail}
 * into the mail outbox, in the caller's transaction; {@link MailDispatcher} sends them
 * after commit. Links, codes and PINs go into the mail only: nothing here logs them.
 */
@Component
class MailComposer implements ApplicantMail, OfficerMail {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final MailOutbox outbox;

	private final MailDispatcher dispatcher;

	private final Clock clock;

	private final SpringTemplateEngine templates;

	MailComposer(MailOutbox outbox, MailDispatcher dispatcher, Clock clock) {
		this.outbox = outbox;
		this.dispatcher = dispatcher;
		this.clock = clock;
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/mail/");
		resolver.setSuffix(".txt");
		resolver.setTemplateMode(TemplateMode.TEXT);
		resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
		this.templates = new SpringTemplateEngine();
		this.templates.setTemplateResolver(resolver);
	}

	@Override
	public void sendInvitation(CertificateRequest request, URI applicationLink, Instant expiresAt) {
		send(request, MailKind.INVITATION, "Your certificate invitation (request " + request.getRequestId() + ")",
				"invitation", Map.of("link", applicationLink.toString(), "expiresAt", WHEN.format(expiresAt)));
	}

	@Override
	public void sendConfirmation(CertificateRequest request, URI statusLink) {
		send(request, MailKind.CONFIRMATION,
				"Your certificate application was received (request " + request.getRequestId() + ")", "confirmation",
				Map.of("link", statusLink.toString()));
	}

	@Override
	public void sendRejection(CertificateRequest request, String reason) {
		send(request, MailKind.REJECTION,
				"Your certificate application was not approved (request " + request.getRequestId() + ")", "rejection",
				Map.of("reason", (reason != null) ? reason : "No reason was given."));
	}

	@Override
	public void sendDeferral(CertificateRequest request, Instant until) {
		send(request, MailKind.DEFERRAL, "Your certificate request is waiting (request " + request.getRequestId() + ")",
				"deferral", Map.of("until", WHEN.format(until)));
	}

	@Override
	public void sendActivation(CertificateRequest request, URI activationLink, String pin, Instant expiresAt) {
		send(request, MailKind.ACTIVATION, "Your certificate is ready (request " + request.getRequestId() + ")",
				"activation",
				Map.of("link", activationLink.toString(), "pin", pin, "expiresAt", WHEN.format(expiresAt)));
	}

	@Override
	public void sendExpiry(CertificateRequest request) {
		send(request, MailKind.EXPIRY, "Your certificate request has expired (request " + request.getRequestId() + ")",
				"expiry", Map.of());
	}

	@Override
	public void sendOfficerDigest(String recipient, Map<String, Object> values) {
		queue(null, MailKind.OFFICER_DIGEST, recipient, "New certificate requests wait for you", "officer-digest",
				values);
	}

	@Override
	public void sendExpiryDigest(String recipient, Map<String, Object> values) {
		queue(null, MailKind.EXPIRY_DIGEST, recipient, "Certificates that expire soon", "expiry-digest", values);
	}

	@Override
	public void sendExpiryNotice(CertificateRequest request, Map<String, Object> values) {
		send(request, MailKind.EXPIRY_NOTICE, "Your certificate expires on " + values.get("notAfter"), "expiry-notice",
				values);
	}

	@Override
	public void sendCancellation(CertificateRequest request) {
		send(request, MailKind.CANCELLATION,
				"Your certificate request was cancelled (request " + request.getRequestId() + ")", "cancellation",
				Map.of());
	}

	private void send(CertificateRequest request, MailKind kind, String subject, String template,
			Map<String, Object> values) {
		Map<String, Object> all = new java.util.HashMap<>(values);
		all.put("fullName", request.getFullName());
		all.put("requestId", request.getRequestId());
		queue(request.getRequestId(), kind, request.getEmail(), subject, template, all);
	}

	private void queue(String requestId, MailKind kind, String recipient, String subject, String template,
			Map<String, Object> values) {
		Context context = new Context();
		context.setVariables(values);
		String text = this.templates.process(template, context);
		// Queued in the caller's transaction, next to the token, code or status the mail
		// announces; handed to the SMTP server only once that has committed.
		String mailId = this.outbox.add(requestId, kind, recipient, subject, text, this.clock.instant());
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					MailComposer.this.dispatcher.sendSoon(mailId);
				}
			});
		}
		else {
			this.dispatcher.sendSoon(mailId);
		}
	}

}
