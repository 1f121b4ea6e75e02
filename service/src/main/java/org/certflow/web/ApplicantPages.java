package org.certflow.web;

import org.certflow.delivery.ActivateCertificate;
import org.certflow.request.CertificateRequest;
import org.certflow.request.RequestException;
import org.certflow.request.SubmitApplication;
import org.certflow.request.SubmitApplication.Application;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The applicant's pages, rendered on the server: the application form behind the
 * invitation link and the activation page behind the activation link. Both post with a
 * CSRF token. Opening a link consumes nothing.
 */
@Controller
class ApplicantPages {

	private final SubmitApplication submitApplication;

	private final ActivateCertificate activateCertificate;

	ApplicantPages(SubmitApplication submitApplication, ActivateCertificate activateCertificate) {
		this.submitApplication = submitApplication;
		this.activateCertificate = activateCertificate;
	}

	/**
	 * The page follows the class: its name, whether it needs a phone, which keys it
	 * takes.
	 */
	private ModelAndView withClass(ModelAndView page, String className) {
		this.submitApplication.certificateClass(className)
			.ifPresent((cls) -> page.addObject("classDisplayName", cls.getDisplayName())
				.addObject("phoneRequired", cls.isPhoneRequired())
				.addObject("keyAlgorithms", cls.getKeyAlgorithms().replace(",", ", ")));
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
			@RequestParam(name = "phone", required = false) String phone) {
		CertificateRequest invited;
		try {
			invited = this.submitApplication.open(token);
		}
		catch (RequestException ex) {
			return message("Application", ex);
		}
		try {
			CertificateRequest request = this.submitApplication
				.submit(new Application(token, csrPem, fullName, invited.getEmail(), phone));
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
				.addObject("error", ex.getMessage()), invited.getCertificateClass());
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
	}

	@GetMapping("/activate")
	ModelAndView activationForm(@RequestParam(name = "code", required = false) String code) {
		try {
			this.activateCertificate.open(code);
			return new ModelAndView("pages/activate").addObject("code", code);
		}
		catch (RequestException ex) {
			return message("Activation", ex);
		}
	}

	@PostMapping(path = "/activate", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Object activate(@RequestParam(name = "code", required = false) String code,
			@RequestParam(name = "pin", required = false) String pin, Model model) {
		try {
			String chain = this.activateCertificate.activate(code, pin);
			return ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(ApplicantApiController.PEM_CHAIN))
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename("certificate-chain.pem").build().toString())
				.body(chain);
		}
		catch (RequestException ex) {
			ModelAndView page = (ex.kind() == RequestException.Kind.WRONG_SECRET
					|| ex.kind() == RequestException.Kind.INVALID)
							? new ModelAndView("pages/activate").addObject("code", code)
								.addObject("error", ex.getMessage())
							: message("Activation", ex);
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
	}

	private static ModelAndView message(String title, RequestException ex) {
		ModelAndView page = new ModelAndView("pages/message").addObject("title", title)
			.addObject("message", ex.getMessage());
		page.setStatus(ApiErrors.status(ex.kind()));
		return page;
	}

}
