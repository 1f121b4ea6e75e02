package org.certflow.web;

import java.security.Principal;
import java.util.Locale;

import jakarta.servlet.http.HttpSession;
import org.certflow.request.CheckInvitation;
import org.certflow.request.EnterRequestOnBehalf;
import org.certflow.request.RequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The RAMC page for requests entered on an applicant's behalf: the twin of
 * {@code POST /api/v1/requests}. The form's one-time token doubles as the request's
 * idempotency key, so a form sent twice (double click, two tabs, back and resend) makes
 * one request, as the API does for a repeated key.
 */
@Controller
@RequestMapping("/ramc/on-behalf")
class RamcOnBehalfPages {

	private final EnterRequestOnBehalf enterRequest;

	private final CheckInvitation classes;

	RamcOnBehalfPages(EnterRequestOnBehalf enterRequest, CheckInvitation classes) {
		this.enterRequest = enterRequest;
		this.classes = classes;
	}

	@GetMapping
	ModelAndView form(HttpSession session, Principal user) {
		return page(FormTokens.of(session).issue(), user, Form.EMPTY);
	}

	@PostMapping(consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView enter(@RequestParam(name = "formToken", required = false) String formToken,
			@RequestParam(name = "email", required = false) String email,
			@RequestParam(name = "fullName", required = false) String fullName,
			@RequestParam(name = "certificateClass", required = false) String certificateClass,
			@RequestParam(name = "phone", required = false) String phone,
			@RequestParam(name = "organisation", required = false) String organisation,
			@RequestParam(name = "csrPem", required = false) String csrPem, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		Form form = new Form(email, fullName, certificateClass, phone, organisation, csrPem);
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		switch (claim.outcome()) {
			case DONE -> {
				ModelAndView page = page(tokens.issue(), user, Form.EMPTY);
				page.addObject("notice", "This form was sent before: it made request " + claim.result()
						+ ". No second request was made.");
				page.addObject("sentRequestId", claim.result());
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			case SENDING -> {
				ModelAndView page = page(tokens.issue(), user, form);
				page.addObject("formError", "This form is being sent already (from another tab or a double click). "
						+ "Look for the request before you send it again.");
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			case UNKNOWN -> {
				ModelAndView page = page(tokens.issue(), user, form);
				page.addObject("formError", "This form has expired. Check the values below and send it again.");
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			default -> {
				// Claimed: ours to send.
			}
		}
		EnterRequestOnBehalf.Entered entered;
		try {
			entered = this.enterRequest.enter(
					new EnterRequestOnBehalf.Entry(email, fullName, certificateClass, phone, organisation, csrPem),
					idempotencyKey(formToken), user.getName());
		}
		catch (RequestException ex) {
			tokens.release(formToken);
			ModelAndView page = page(formToken, user, form);
			page.addObject("formError", ex.getMessage());
			page.addObject("errorField", field(ex.getMessage()));
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
		catch (RuntimeException ex) {
			tokens.release(formToken);
			throw ex;
		}
		tokens.done(formToken, entered.request().getRequestId());
		// Post/redirect/get: reloading the result page sends nothing again.
		redirect.addFlashAttribute("sentRequestId", entered.request().getRequestId());
		redirect.addFlashAttribute("sentEmail", entered.request().getEmail());
		return new ModelAndView("redirect:/ramc/on-behalf");
	}

	/** Form tokens are URL-safe base64; the API's keys allow letters, digits and -_.: */
	private static String idempotencyKey(String formToken) {
		String key = "ramc-" + formToken;
		return (key.length() > 64) ? key.substring(0, 64) : key;
	}

	/**
	 * The field a refusal names, so the page can mark it; the use case words each refusal
	 * starting with the field or about it.
	 */
	static String field(String message) {
		String text = String.valueOf(message).toLowerCase(Locale.ROOT);
		for (String field : new String[] { "email", "fullName", "phone", "organisation", "certificateClass" }) {
			if (text.startsWith(field.toLowerCase(Locale.ROOT))) {
				return field;
			}
		}
		if (text.contains("certificate class")) {
			return "certificateClass";
		}
		if (text.contains("csr") || text.contains("pem") || text.contains("request") || text.contains("key")) {
			return "csrPem";
		}
		return null;
	}

	private ModelAndView page(String formToken, Principal user, Form form) {
		return new ModelAndView("ramc/on-behalf").addObject("title", "Request on behalf")
			.addObject("section", "on-behalf")
			.addObject("user", (user != null) ? user.getName() : null)
			.addObject("formToken", formToken)
			.addObject("classes", this.classes.openClasses())
			.addObject("form", form);
	}

	/** The values the admin entered, kept when the page is shown again. */
	record Form(String email, String fullName, String certificateClass, String phone, String organisation,
			String csrPem) {

		static final Form EMPTY = new Form(null, null, null, null, null, null);

	}

}
