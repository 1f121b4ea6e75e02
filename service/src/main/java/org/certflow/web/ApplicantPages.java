package org.certflow.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import org.certflow.request.SubmitApplication.Checked;
import org.certflow.request.SubmitApplication.Landing;
import org.certflow.request.ApplicantStatus;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
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

	private final ApplicantStatus applicantStatus;

	ApplicantPages(SubmitApplication submitApplication, ActivateCertificate activateCertificate, Clock clock,
			ApplicantStatus applicantStatus) {
		this.applicantStatus = applicantStatus;
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
				.addObject("classDescription", cls.getDescription())
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

	/**
	 * The landing page behind the invitation link, with the form below it: who invited,
	 * for which class, what happens next and until when the link works. Opening it
	 * consumes nothing.
	 */
	@GetMapping("/apply")
	ModelAndView applicationForm(@RequestParam(name = "token", required = false) String token) {
		try {
			return formPage(this.submitApplication.landing(token), token, ApplicationForm.EMPTY, null);
		}
		catch (RequestException ex) {
			return message("Application", ex);
		}
	}

	private ModelAndView formPage(Landing landing, String token, ApplicationForm form, RequestException error) {
		CertificateRequest request = landing.request();
		ModelAndView page = withClass(new ModelAndView("pages/apply").addObject("token", token)
			.addObject("email", request.getEmail())
			.addObject("certificateClass", request.getCertificateClass())
			.addObject("invitedBy", request.getCreatedBy())
			.addObject("invitedAt", request.getCreatedAt())
			.addObject("linkExpiresAt", landing.linkExpiresAt())
			.addObject("daysLeft", daysLeft(landing.linkExpiresAt()))
			.addObject("fullName", (form.fullName() != null) ? form.fullName() : request.getFullName())
			.addObject("organisation", form.organisation())
			.addObject("phone", form.phone())
			.addObject("keySource", form.keySource())
			.addObject("csrPem", form.csrPem())
			.addObject("fieldErrors", java.util.Map.of()), request.getCertificateClass());
		if (landing.certificateClass() != null) {
			page.addObject("classDescription", landing.certificateClass().getDescription());
		}
		if (error != null) {
			if (error.field() != null) {
				page.addObject("fieldErrors", java.util.Map.of(error.field(), error.getMessage()));
			}
			page.addObject("error", error.getMessage());
			page.setStatus(ApiErrors.status(error.kind()));
		}
		return page;
	}

	/**
	 * Whole days left, rounded up, so that a fresh 14-day link says "in 14 days"; 0 when
	 * less than a day is left.
	 */
	private long daysLeft(java.time.Instant until) {
		Duration left = Duration.between(this.clock.instant(), until);
		if (left.compareTo(Duration.ofDays(1)) < 0) {
			return 0;
		}
		return left.plus(Duration.ofDays(1)).minusSeconds(1).toDays();
	}

	/**
	 * Posts the application, urlencoded or (with a CSR file) multipart. A CSR is first
	 * shown back on a preview page; only its "Submit" stores the request and consumes the
	 * invitation. Keys made in the browser are submitted at once: the page built that
	 * request itself.
	 */
	@PostMapping(path = "/apply",
			consumes = { MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE })
	ModelAndView apply(@RequestParam(name = "token", required = false) String token,
			@RequestParam(name = "fullName", required = false) String fullName,
			@RequestParam(name = "csrPem", required = false) String csrPem,
			@RequestParam(name = "csrFile", required = false) MultipartFile csrFile,
			@RequestParam(name = "csrDer", required = false) String csrDer,
			@RequestParam(name = "phone", required = false) String phone,
			@RequestParam(name = "organisation", required = false) String organisation,
			@RequestParam(name = "keySource", required = false) String keySource,
			@RequestParam(name = "step", required = false) String step,
			@RequestParam(name = "p12Password", required = false) String p12Password) {
		Landing landing;
		try {
			landing = this.submitApplication.landing(token);
		}
		catch (RequestException ex) {
			return message("Application", ex);
		}
		String source = (keySource != null) ? keySource : KeySource.CSR.name();
		ApplicationForm form = new ApplicationForm(fullName, organisation, phone, source, csrPem);
		if ("back".equals(step)) {
			return formPage(landing, token, form.withCsr(CsrUpload.pem(csrDer)), null);
		}
		try {
			boolean serverKey = KeySource.SERVER.name().equalsIgnoreCase(source.strip());
			String pem = serverKey ? null
					: (csrDer != null && !csrDer.isBlank()) ? CsrUpload.pem(csrDer) : CsrUpload.pem(csrPem, csrFile);
			form = form.withCsr((csrFile != null && !csrFile.isEmpty()) ? null : csrPem);
			// The p12 password goes to the use case only; the form never shows it again.
			Application application = new Application(token, pem, fullName, landing.request().getEmail(), phone,
					organisation, source, serverKey ? p12Password : null);
			if (KeySource.CSR.name().equalsIgnoreCase(source.strip()) && !"submit".equals(step)) {
				Checked checked = this.submitApplication.check(application);
				return new ModelAndView("pages/apply-preview").addObject("token", token)
					.addObject("form", form)
					.addObject("csrDer", java.util.Base64.getEncoder().encodeToString(checked.csrDer()))
					.addObject("csrSubject", checked.csr().requestedSubject())
					.addObject("keyDescription", checked.csr().keyDescription())
					.addObject("certificateSubject", checked.certificateSubject())
					.addObject("email", checked.email())
					.addObject("certificateClass", landing.request().getCertificateClass());
			}
			CertificateRequest request = this.submitApplication.submit(application);
			return new ModelAndView("pages/applied").addObject("requestId", request.getRequestId())
				.addObject("fullName", request.getFullName())
				.addObject("email", request.getEmail())
				.addObject("keyDescription", request.getKeyDescription());
		}
		catch (RequestException ex) {
			if (ex.kind() == RequestException.Kind.CONFLICT || ex.kind() == RequestException.Kind.GONE
					|| ex.kind() == RequestException.Kind.NOT_FOUND) {
				// Consumed or ended meanwhile (a second tab, a double click): the form
				// would only fail again.
				return message("Application", ex);
			}
			return formPage(landing, token, form, ex);
		}
	}

	/**
	 * The applicant's status page behind the link in the confirmation mail: read-only,
	 * never cached, and only what the applicant may know.
	 */
	@GetMapping("/status")
	ModelAndView status(@RequestParam(name = "token", required = false) String token, HttpServletResponse response) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		try {
			ApplicantStatus.View view = this.applicantStatus.show(token);
			return new ModelAndView("pages/status").addObject("view", view);
		}
		catch (RequestException ex) {
			return message("Request status", ex);
		}
	}

	/** What the applicant typed, kept to show the form again. */
	record ApplicationForm(String fullName, String organisation, String phone, String keySource, String csrPem) {

		static final ApplicationForm EMPTY = new ApplicationForm(null, null, null, null, null);

		ApplicationForm withCsr(String pem) {
			return new ApplicationForm(this.fullName, this.organisation, this.phone, this.keySource, pem);
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
