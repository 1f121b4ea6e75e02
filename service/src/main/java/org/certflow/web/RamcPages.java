package org.certflow.web;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.certflow.request.CertificateRequest;
import org.certflow.request.CheckInvitation;
import org.certflow.request.InviteApplicant;
import org.certflow.request.RaOverview;
import org.certflow.request.RequestException;
import org.certflow.request.RequestStatus;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * The RA console (RAMC), rendered on the server: dashboard and invitations. Access is
 * decided by the console's own security chain (groups ra-admins and camunda-admin); every
 * form carries a CSRF token, and forms that create something a one-time token too.
 */
@Controller
@RequestMapping("/ramc")
class RamcPages {

	static final String COCKPIT_INSTANCE = "/camunda/app/cockpit/default/#/process-instance/";

	private static final int CHART_HOURS = 7 * 24;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private final RaOverview overview;

	private final CheckInvitation checkInvitation;

	private final InviteApplicant inviteApplicant;

	RamcPages(RaOverview overview, CheckInvitation checkInvitation, InviteApplicant inviteApplicant) {
		this.overview = overview;
		this.checkInvitation = checkInvitation;
		this.inviteApplicant = inviteApplicant;
	}

	@GetMapping("/login")
	ModelAndView login(@RequestParam(name = "error", required = false) String error,
			@RequestParam(name = "logout", required = false) String logout,
			@RequestParam(name = "wait", required = false) Long wait) {
		ModelAndView page = new ModelAndView("ramc/login");
		if (wait != null) {
			page.addObject("error", "Too many wrong passwords. Try again in " + Math.max(1, wait) + " seconds.");
			page.setStatus(HttpStatus.TOO_MANY_REQUESTS);
		}
		else if (error != null) {
			page.addObject("error", "Wrong user name or password.");
			page.setStatus(HttpStatus.UNAUTHORIZED);
		}
		else if (logout != null) {
			page.addObject("notice", "You are logged out.");
		}
		return page;
	}

	/** Forwarded to by the security chain, whatever the method of the refused request. */
	@RequestMapping("/denied")
	ModelAndView denied(HttpServletRequest request, Principal user) {
		ModelAndView page = new ModelAndView("ramc/denied");
		page.setStatus(HttpStatus.FORBIDDEN);
		if (request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException) {
			page.addObject("message",
					"This form has expired or was not sent from this site. " + "Reload the page and send it again.");
		}
		else {
			page.addObject("message",
					((user != null) ? "User " + user.getName() : "This user")
							+ " may not use the RA console: it needs group ra-admins or camunda-admin. "
							+ "Ask a Camunda administrator, or log in as another user.");
		}
		page.addObject("user", (user != null) ? user.getName() : null);
		return page;
	}

	@GetMapping
	ModelAndView dashboard(Principal user) {
		Map<RequestStatus, Long> counts = this.overview.requestsByStatus();
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		List<IncidentRow> incidents = this.overview.openIncidents()
			.stream()
			.map((incident) -> new IncidentRow(incident.requestId(), incident.activityId(), incident.message(),
					time(incident.since()), cockpit(incident.processInstanceId())))
			.toList();
		List<MailRow> mails = this.overview.failedMails()
			.stream()
			.map((mail) -> new MailRow(mail.requestId(), mail.kind(), mail.recipient(), time(mail.failedAt()),
					mail.lastError(), cockpit(mail.processInstanceId())))
			.toList();
		List<LockRow> locks = this.overview.lockedActivations()
			.stream()
			.map((lock) -> new LockRow(lock.requestId(), lock.email(), time(lock.lockedAt()), lock.failedAttempts(),
					cockpit(lock.processInstanceId())))
			.toList();
		return layout("ramc/dashboard", "Dashboard", "dashboard", user).addObject("counts", counts)
			.addObject("total", total)
			.addObject("chart", IssuanceChart.of(this.overview.issuedPerHour(CHART_HOURS)))
			.addObject("incidents", incidents)
			.addObject("mails", mails)
			.addObject("locks", locks);
	}

	@GetMapping("/invitations")
	ModelAndView invitationForm(HttpSession session, Principal user) {
		return invitationPage(session, user, null, null, null, Map.of());
	}

	@PostMapping(path = "/invitations", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView invite(@RequestParam(name = "formToken", required = false) String formToken,
			@RequestParam(name = "email", required = false) String email,
			@RequestParam(name = "fullName", required = false) String fullName,
			@RequestParam(name = "certificateClass", required = false) String certificateClass, HttpSession session,
			Principal user, RedirectAttributes redirect) {
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		switch (claim.outcome()) {
			case DONE -> {
				ModelAndView page = invitationPage(session, user, null, null, null, Map.of());
				page.addObject("notice", "This form was sent before: the invitation went out as request "
						+ claim.result() + ". No second invitation was made.");
				page.addObject("sentRequestId", claim.result());
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			case SENDING -> {
				ModelAndView page = invitationPage(session, user, email, fullName, certificateClass, Map.of());
				page.addObject("formError", "This form is being sent already (from another tab or a double click). "
						+ "Look for the request before you send it again.");
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			case UNKNOWN -> {
				ModelAndView page = invitationPage(session, user, email, fullName, certificateClass, Map.of());
				page.addObject("formError",
						"This form has expired. Check the values below and send the invitation again.");
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			default -> {
				// Claimed: ours to send.
			}
		}
		Map<String, String> problems = this.checkInvitation.problems(email, fullName, certificateClass);
		if (!problems.isEmpty()) {
			tokens.release(formToken);
			ModelAndView page = invitationPage(formToken, user, email, fullName, certificateClass, problems);
			page.setStatus(HttpStatus.BAD_REQUEST);
			return page;
		}
		CertificateRequest request;
		try {
			request = this.inviteApplicant.invite(email, fullName, certificateClass, user.getName());
		}
		catch (RequestException ex) {
			tokens.release(formToken);
			ModelAndView page = invitationPage(formToken, user, email, fullName, certificateClass, Map.of());
			page.addObject("formError", ex.getMessage());
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
		catch (RuntimeException ex) {
			tokens.release(formToken);
			throw ex;
		}
		tokens.done(formToken, request.getRequestId());
		// Post/redirect/get: reloading the result page sends nothing again.
		redirect.addFlashAttribute("sentRequestId", request.getRequestId());
		redirect.addFlashAttribute("sentEmail", request.getEmail());
		return new ModelAndView("redirect:/ramc/invitations");
	}

	private ModelAndView invitationPage(HttpSession session, Principal user, String email, String fullName,
			String certificateClass, Map<String, String> problems) {
		return invitationPage(FormTokens.of(session).issue(), user, email, fullName, certificateClass, problems);
	}

	private ModelAndView invitationPage(String formToken, Principal user, String email, String fullName,
			String certificateClass, Map<String, String> problems) {
		return layout("ramc/invitations", "Invitations", "invitations", user).addObject("formToken", formToken)
			.addObject("classes", this.checkInvitation.openClasses())
			.addObject("email", email)
			.addObject("fullName", fullName)
			.addObject("certificateClass", certificateClass)
			.addObject("problems", problems);
	}

	private static ModelAndView layout(String view, String title, String section, Principal user) {
		return new ModelAndView(view).addObject("title", title)
			.addObject("section", section)
			.addObject("user", (user != null) ? user.getName() : null);
	}

	private static String cockpit(String processInstanceId) {
		return (processInstanceId != null) ? COCKPIT_INSTANCE
				+ UriUtils.encodePathSegment(processInstanceId, java.nio.charset.StandardCharsets.UTF_8) : null;
	}

	private static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	record IncidentRow(String requestId, String activityId, String message, String since, String cockpitUrl) {
	}

	record MailRow(String requestId, String kind, String recipient, String failedAt, String lastError,
			String cockpitUrl) {
	}

	record LockRow(String requestId, String email, String lockedAt, int failedAttempts, String cockpitUrl) {
	}

}
