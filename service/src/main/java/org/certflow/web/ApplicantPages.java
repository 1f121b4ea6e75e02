package org.certflow.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certflow.delivery.ActivateCertificate;
import org.certflow.delivery.ActivateCertificate.Collected;
import org.certflow.delivery.ChainFormats;
import org.certflow.request.CertificateRequest;
import org.certflow.request.KeySource;
import org.certflow.request.RequestException;
import org.certflow.request.SubmitApplication;
import org.certflow.request.SubmitApplication.Application;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The applicant's pages, rendered on the server: the application form behind the
 * invitation link and the activation page behind the activation link. Both post with a
 * CSRF token. Opening a link consumes nothing.
 */
@Controller
class ApplicantPages {

	private final SubmitApplication submitApplication;

	private final ActivateCertificate activateCertificate;

	private final Clock clock;

	ApplicantPages(SubmitApplication submitApplication, ActivateCertificate activateCertificate, Clock clock) {
		this.submitApplication = submitApplication;
		this.activateCertificate = activateCertificate;
		this.clock = clock;
	}

	/**
	 * The page follows the class: its name, whether it needs a phone, which keys it
	 * takes.
	 */
	private ModelAndView withClass(ModelAndView page, String className) {
		this.submitApplication.certificateClass(className)
			.ifPresent((cls) -> page.addObject("classDisplayName", cls.getDisplayName())
				.addObject("phoneRequired", cls.isPhoneRequired())
				.addObject("keyAlgorithms", cls.getKeyAlgorithms().replace(",", ", "))
				.addObject("keyAlgorithmList", java.util.List.of(cls.getKeyAlgorithms().split(",")))
				.addObject("keySources",
						java.util.Arrays.stream(KeySource.values())
							.filter((source) -> source.allowedBy(cls))
							.map(Enum::name)
							.toList()));
		return page;
	}

	@GetMapping("/")
	String index() {
		return "pages/index";
	}

	@GetMapping("/apply")
	ModelAndView applicationForm(@RequestParam(name = "token", required = false) String token) {
		try {
			CertificateRequest request = this.submitApplication.open(token);
			return withClass(new ModelAndView("pages/apply").addObject("token", token)
				.addObject("fullName", request.getFullName())
				.addObject("email", request.getEmail())
				.addObject("certificateClass", request.getCertificateClass()), request.getCertificateClass());
		}
		catch (RequestException ex) {
			return message("Application", ex);
		}
	}

	@PostMapping(path = "/apply", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView apply(@RequestParam(name = "token", required = false) String token,
			@RequestParam(name = "fullName", required = false) String fullName,
			@RequestParam(name = "csrPem", required = false) String csrPem,
			@RequestParam(name = "phone", required = false) String phone,
			@RequestParam(name = "organisation", required = false) String organisation,
			@RequestParam(name = "keySource", required = false) String keySource,
			@RequestParam(name = "p12Password", required = false) String p12Password) {
		CertificateRequest invited;
		try {
			invited = this.submitApplication.open(token);
		}
		catch (RequestException ex) {
			return message("Application", ex);
		}
		try {
			CertificateRequest request = this.submitApplication
				.submit(new Application(token, csrPem, fullName, invited.getEmail(), phone, organisation,
						(keySource != null) ? keySource : KeySource.CSR.name(), p12Password));
			return new ModelAndView("pages/applied").addObject("requestId", request.getRequestId())
				.addObject("keyDescription", request.getKeyDescription());
		}
		catch (RequestException ex) {
			ModelAndView page = withClass(new ModelAndView("pages/apply").addObject("token", token)
				.addObject("fullName", fullName)
				.addObject("email", invited.getEmail())
				.addObject("certificateClass", invited.getCertificateClass())
				.addObject("csrPem", csrPem)
				.addObject("phone", phone)
				.addObject("organisation", organisation)
				.addObject("keySource", keySource)
				.addObject("error", ex.getMessage()), invited.getCertificateClass());
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
	}

	@GetMapping("/activate")
	ModelAndView activationForm(@RequestParam(name = "code", required = false) String code) {
		try {
			return activationPage(code, this.activateCertificate.certificateFor(code));
		}
		catch (RequestException ex) {
			return message("Activation", ex);
		}
	}

	private static ModelAndView activationPage(String code, CertificateRequest request) {
		return new ModelAndView("pages/activate").addObject("code", code)
			.addObject("fullName", request.getFullName())
			.addObject("email", request.getEmail())
			.addObject("certificateClass", request.getCertificateClass())
			.addObject("keySource", request.getKeySource().name());
	}

	/**
	 * The right PIN collects the certificate and sends the browser on to the success page
	 * (303, so a reload never posts the spent code again); a wrong one shows the form
	 * with how many tries are left.
	 */
	@PostMapping(path = "/activate", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView activate(@RequestParam(name = "code", required = false) String code,
			@RequestParam(name = "pin", required = false) String pin, HttpServletRequest http) {
		try {
			Collected collected = this.activateCertificate.collect(code, pin);
			http.changeSessionId();
			ActivationWindow.open(http.getSession(), collected.requestId(), collected.keySource(), collected.chainPem(),
					this.clock);
			return new ModelAndView(new RedirectView("/activate/done", true, false, false));
		}
		catch (RequestException ex) {
			ModelAndView page;
			if (ex.kind() == RequestException.Kind.WRONG_SECRET || ex.kind() == RequestException.Kind.INVALID) {
				try {
					page = activationPage(code, this.activateCertificate.certificateFor(code)).addObject("error",
							ex.getMessage());
				}
				catch (RequestException gone) {
					page = message("Activation", gone);
				}
			}
			else {
				page = message("Activation", ex);
			}
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
	}

	@GetMapping("/activate/done")
	ModelAndView activated(HttpSession session) {
		Optional<ActivationWindow.Collected> window = ActivationWindow.current(session, this.clock);
		if (window.isEmpty()) {
			return windowClosed();
		}
		ActivationWindow.Collected collected = window.get();
		X509CertificateHolder leaf = ChainFormats.certificates(collected.chainPem()).get(0);
		return new ModelAndView("pages/activated").addObject("requestId", collected.requestId())
			.addObject("keySource", collected.keySource().name())
			.addObject("subject", leaf.getSubject().toString())
			.addObject("serial", leaf.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT))
			.addObject("notAfter", leaf.getNotAfter().toInstant())
			.addObject("until", collected.until());
	}

	@GetMapping("/activate/certificate.pem")
	Object chainPem(HttpSession session) {
		return download(session, "certificate-chain.pem", ApplicantApiController.PEM_CHAIN,
				(chain) -> chain.getBytes(StandardCharsets.US_ASCII));
	}

	@GetMapping("/activate/certificate.der")
	Object leafDer(HttpSession session) {
		return download(session, "certificate.der", "application/pkix-cert", ChainFormats::leafDer);
	}

	@GetMapping("/activate/certificate.p7b")
	Object chainPkcs7(HttpSession session) {
		return download(session, "certificate-chain.p7b", "application/pkcs7-mime", ChainFormats::pkcs7);
	}

	private Object download(HttpSession session, String filename, String type,
			java.util.function.Function<String, byte[]> format) {
		Optional<ActivationWindow.Collected> window = ActivationWindow.current(session, this.clock);
		if (window.isEmpty()) {
			return windowClosed();
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(type))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(filename).build().toString())
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(format.apply(window.get().chainPem()));
	}

	private static ModelAndView windowClosed() {
		return message("Activation",
				new RequestException(RequestException.Kind.GONE,
						"The downloads are offered for " + ActivationWindow.LENGTH.toMinutes()
								+ " minutes after the activation, in the browser that activated. Your certificate was "
								+ "delivered; if you need it again, ask your registration authority, or find it in the "
								+ "certificate directory."));
	}

	private static ModelAndView message(String title, RequestException ex) {
		ModelAndView page = new ModelAndView("pages/message").addObject("title", title)
			.addObject("message", ex.getMessage());
		page.setStatus(ApiErrors.status(ex.kind()));
		return page;
	}

}
