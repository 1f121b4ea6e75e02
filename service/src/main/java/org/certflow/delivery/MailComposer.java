package org.certflow.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.certflow.CertFlowProperties;
import org.certflow.request.ApplicantMail;
import org.certflow.request.CertificateRequest;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Writes the applicant's mails from plain-text templates under {@code templates/mail}.
 * Links, codes and PINs go into the mail only: nothing here logs them.
 */
@Component
class MailComposer implements ApplicantMail {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final JavaMailSender sender;

	private final CertFlowProperties properties;

	private final SpringTemplateEngine templates;

	MailComposer(JavaMailSender sender, CertFlowProperties properties) {
		this.sender = sender;
		this.properties = properties;
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
		send(request, "Your certificate invitation (request " + request.getRequestId() + ")", "invitation",
				Map.of("link", applicationLink.toString(), "expiresAt", WHEN.format(expiresAt)));
	}

	@Override
	public void sendRejection(CertificateRequest request, String reason) {
		send(request, "Your certificate application was not approved (request " + request.getRequestId() + ")",
				"rejection", Map.of("reason", (reason != null) ? reason : "No reason was given."));
	}

	@Override
	public void sendActivation(CertificateRequest request, URI activationLink, String pin, Instant expiresAt) {
		send(request, "Your certificate is ready (request " + request.getRequestId() + ")", "activation",
				Map.of("link", activationLink.toString(), "pin", pin, "expiresAt", WHEN.format(expiresAt)));
	}

	@Override
	public void sendExpiry(CertificateRequest request) {
		send(request, "Your certificate request has expired (request " + request.getRequestId() + ")", "expiry",
				Map.of());
	}

	private void send(CertificateRequest request, String subject, String template, Map<String, Object> values) {
		Context context = new Context();
		context.setVariable("fullName", request.getFullName());
		context.setVariable("requestId", request.getRequestId());
		context.setVariables(values);
		String text = this.templates.process(template, context);
		try {
			MimeMessage message = this.sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
			helper.setFrom(this.properties.mail().from());
			helper.setTo(request.getEmail());
			helper.setSubject(subject);
			helper.setText(text, false);
			this.sender.send(message);
		}
		catch (MessagingException ex) {
			throw new MailSendException("Could not build the " + template + " mail for request "
					+ request.getRequestId() + ": " + ex.getMessage());
		}
	}

}
