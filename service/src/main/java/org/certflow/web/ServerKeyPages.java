package org.certflow.web;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certflow.delivery.ChainFormats;
import org.certflow.delivery.DeliverServerKey;
import org.certflow.request.KeySource;
import org.certflow.request.RequestException;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The download of a server-made key from the activation success page. Public like the
 * other activation pages, but only the browser session that entered the right PIN (the
 * {@link ActivationWindow}) of a SERVER request reaches it, for the window's 15 minutes;
 * the password is posted (never in a URL) and CSRF-protected.
 */
@Controller
class ServerKeyPages {

	private final DeliverServerKey deliverServerKey;

	private final Clock clock;

	ServerKeyPages(DeliverServerKey deliverServerKey, Clock clock) {
		this.deliverServerKey = deliverServerKey;
		this.clock = clock;
	}

	@PostMapping(path = "/activate/key.p12", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object pkcs12(@RequestParam(name = "password", required = false) String password, HttpSession session) {
		Optional<ActivationWindow.Collected> window = ActivationWindow.current(session, this.clock);
		if (window.isEmpty() || window.get().keySource() != KeySource.SERVER) {
			ModelAndView page = new ModelAndView("pages/message").addObject("title", "Key file")
				.addObject("message",
						"The key file is offered for " + ActivationWindow.LENGTH.toMinutes()
								+ " minutes after the activation of a certificate whose key the server made, in the "
								+ "browser that activated it.");
			page.setStatus(org.springframework.http.HttpStatus.GONE);
			return page;
		}
		ActivationWindow.Collected collected = window.get();
		try {
			byte[] p12 = this.deliverServerKey.pkcs12(collected.requestId(), password);
			return ResponseEntity.ok()
				.contentType(MediaType.parseMediaType("application/x-pkcs12"))
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename("certificate-and-key.p12").build().toString())
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.body(p12);
		}
		catch (RequestException ex) {
			// Back to the success page, with what went wrong next to the password field.
			X509CertificateHolder leaf = ChainFormats.certificates(collected.chainPem()).get(0);
			ModelAndView page = new ModelAndView("pages/activated").addObject("requestId", collected.requestId())
				.addObject("keySource", collected.keySource().name())
				.addObject("subject", leaf.getSubject().toString())
				.addObject("serial", leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
				.addObject("notAfter", leaf.getNotAfter().toInstant())
				.addObject("until", collected.until())
				.addObject("keyError", ex.getMessage())
				.addObject("keyGone",
						ex.kind() == RequestException.Kind.GONE || ex.kind() == RequestException.Kind.LOCKED);
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
	}

}
