package org.certflow.web;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpSession;

import org.certflow.delivery.ReissueActivation;
import org.certflow.request.CancelRequest;
import org.certflow.request.CertificateRequest;
import org.certflow.request.RequestException;
import org.certflow.request.RequestProcesses;
import org.certflow.request.RequestStatus;
import org.certflow.request.RequestTimeline;
import org.certflow.request.ResendInvitation;
import org.certflow.request.SearchRequests;
import org.certflow.revocation.RevokeCertificate;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The RA console's requests: search, a request's detail with its timeline, and the
 * actions on it (resend the invitation, a new activation code, cancel, revoke the
 * certificate). Every rule belongs to the use cases the RA admin API calls too; these
 * pages only offer what applies and show the use case's answer. Each action is a POST
 * with CSRF and a one-time form token, answered by a redirect to the detail page
 * (post/redirect/get) with a message.
 */
@Controller
@RequestMapping("/ramc/requests")
class RamcRequestPages {

	/** The page sizes offered; the search accepts any from 1 to its maximum. */
	static final List<Integer> PAGE_SIZES = List.of(10, 20, 50, SearchRequests.MAX_PAGE_SIZE);

	/** The reasons the revocation API takes for a final revocation (not a hold). */
	static final List<String> REVOCATION_REASONS = List.of("unspecified", "keyCompromise", "affiliationChanged",
			"superseded", "cessationOfOperation", "privilegeWithdrawn");

	private static final DateTimeFormatter TIME = DateTimeFormatter
		.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private final SearchRequests searchRequests;

	private final RequestTimeline requestTimeline;

	private final RequestProcesses processes;

	private final ResendInvitation resendInvitation;

	private final ReissueActivation reissueActivation;

	private final CancelRequest cancelRequest;

	private final RevokeCertificate revokeCertificate;

	RamcRequestPages(SearchRequests searchRequests, RequestTimeline requestTimeline, RequestProcesses processes,
			ResendInvitation resendInvitation, ReissueActivation reissueActivation, CancelRequest cancelRequest,
			RevokeCertificate revokeCertificate) {
		this.searchRequests = searchRequests;
		this.requestTimeline = requestTimeline;
		this.processes = processes;
		this.resendInvitation = resendInvitation;
		this.reissueActivation = reissueActivation;
		this.cancelRequest = cancelRequest;
		this.revokeCertificate = revokeCertificate;
	}

	@GetMapping
	ModelAndView search(@RequestParam(required = false) String email, @RequestParam(required = false) String name,
			@RequestParam(required = false) String status,
			@RequestParam(name = "class", required = false) String certificateClass,
			@RequestParam(required = false) String serial, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String batch, Principal user) {
		Map<String, String> criteria = new LinkedHashMap<>();
		criteria.put("email", email);
		criteria.put("name", name);
		criteria.put("status", status);
		criteria.put("class", certificateClass);
		criteria.put("serial", serial);
		criteria.put("from", from);
		criteria.put("to", to);
		criteria.put("size", size);
		criteria.put("batch", batch);
		ModelAndView view = layout("ramc/requests", "Requests", user).addObject("criteria", criteria)
			.addObject("statuses", RequestStatus.values())
			.addObject("pageSizes", PAGE_SIZES)
			.addObject("defaultSize", SearchRequests.DEFAULT_PAGE_SIZE);
		SearchRequests.RequestPage found;
		try {
			found = this.searchRequests.search(new SearchRequests.Criteria(status, email, name, certificateClass,
					serial, from, to, page, size, batch));
		}
		catch (RequestException ex) {
			view.addObject("searchError", "Nothing was searched: " + ex.getMessage());
			view.setStatus(ApiErrors.status(ex.kind()));
			return view;
		}
		List<Row> rows = found.items()
			.stream()
			.map((request) -> new Row(request.getRequestId(), request.getStatus().name(), request.getCertificateClass(),
					request.getEmail(), request.getFullName(), time(request.getCreatedAt()),
					request.getEscalatedAt() != null, time(request.getEscalatedAt())))
			.toList();
		long first = (long) found.page() * found.size();
		view.addObject("rows", rows)
			.addObject("total", found.total())
			.addObject("firstShown", rows.isEmpty() ? 0 : first + 1)
			.addObject("lastShown", first + rows.size())
			.addObject("previousUrl", (found.page() > 0) ? pageUrl(criteria, found.page() - 1) : null)
			.addObject("nextUrl", (first + rows.size() < found.total()) ? pageUrl(criteria, found.page() + 1) : null);
		return view;
	}

	@GetMapping("/{requestId}")
	ModelAndView detail(@PathVariable String requestId, HttpSession session, Principal user) {
		RequestTimeline.Detail detail;
		try {
			detail = this.requestTimeline.detail(requestId);
		}
		catch (RequestException ex) {
			if (ex.kind() != RequestException.Kind.NOT_FOUND) {
				throw ex;
			}
			ModelAndView missing = layout("ramc/request-missing", "Request not found", user)
				.addObject("requestId", requestId)
				.addObject("message", ex.getMessage());
			missing.setStatus(HttpStatus.NOT_FOUND);
			return missing;
		}
		CertificateRequest request = detail.request();
		RequestTimeline.Certificate certificate = detail.certificate();
		String revocation = null;
		if (certificate != null) {
			try {
				revocation = this.revokeCertificate.status(certificate.serial()).status();
			}
			catch (RequestException ex) {
				// Not known to the CA's registry (yet): nothing to revoke from here.
				revocation = null;
			}
		}
		String instance = this.processes.runningInstances(List.of(requestId)).get(requestId);
		FormTokens tokens = FormTokens.of(session);
		RequestStatus status = request.getStatus();
		List<TimelineRow> timeline = detail.timeline()
			.stream()
			.map((entry) -> new TimelineRow(time(entry.at()), entry.source(), entry.kind(), entry.actor(),
					entry.detail(), entry.status()))
			.toList();
		ModelAndView view = layout("ramc/request", "Request " + requestId, user).addObject("request", request)
			.addObject("createdAt", time(request.getCreatedAt()))
			.addObject("updatedAt", time(request.getUpdatedAt()))
			.addObject("decidedAt", time(request.getDecidedAt()))
			.addObject("deferredUntil", time(request.getDeferredUntil()))
			.addObject("escalatedAt", time(request.getEscalatedAt()))
			.addObject("certificate", certificate)
			.addObject("notBefore", (certificate != null) ? time(certificate.notBefore()) : null)
			.addObject("notAfter", (certificate != null) ? time(certificate.notAfter()) : null)
			.addObject("revocation", revocation)
			.addObject("timeline", timeline)
			.addObject("cockpitUrl", (instance != null)
					? RamcPages.COCKPIT_INSTANCE + UriUtils.encodePathSegment(instance, StandardCharsets.UTF_8) : null)
			.addObject("maxReasonLength", CancelRequest.MAX_REASON_LENGTH)
			.addObject("revocationReasons", REVOCATION_REASONS);
		if (status == RequestStatus.INVITED) {
			view.addObject("resendToken", tokens.issue());
		}
		if (status == RequestStatus.ISSUED) {
			view.addObject("activationToken", tokens.issue());
		}
		if (request.isCancellable()) {
			view.addObject("cancelToken", tokens.issue());
		}
		if ("GOOD".equals(revocation) || "ON_HOLD".equals(revocation)) {
			view.addObject("revokeToken", tokens.issue());
		}
		return view;
	}

	@PostMapping(path = "/{requestId}/invitation", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	String resendInvitation(@PathVariable String requestId,
			@RequestParam(name = "formToken", required = false) String formToken, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		return act(requestId, formToken, session, redirect, () -> {
			CertificateRequest request = this.resendInvitation.resend(requestId, user.getName());
			return "The invitation was sent again to " + request.getEmail() + ". The earlier link no longer works.";
		});
	}

	@PostMapping(path = "/{requestId}/activation", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	String reissueActivation(@PathVariable String requestId,
			@RequestParam(name = "formToken", required = false) String formToken, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		return act(requestId, formToken, session, redirect, () -> {
			Instant expiresAt = this.reissueActivation.reissue(requestId, user.getName());
			return "A new activation code and PIN were mailed to the applicant; the old code no longer works. "
					+ "The new code expires at " + time(expiresAt) + ".";
		});
	}

	@PostMapping(path = "/{requestId}/cancellation", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	String cancel(@PathVariable String requestId, @RequestParam(name = "formToken", required = false) String formToken,
			@RequestParam(name = "reason", required = false) String reason, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		String result = act(requestId, formToken, session, redirect, () -> {
			this.cancelRequest.cancel(requestId, reason, user.getName());
			return "The request was cancelled.";
		});
		if (redirect.getFlashAttributes().containsKey("actionError")) {
			// Kept for the form shown again, so a long reason need not be typed twice.
			redirect.addFlashAttribute("cancelReason", reason);
		}
		return result;
	}

	@PostMapping(path = "/{requestId}/revocation", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	String revoke(@PathVariable String requestId, @RequestParam(name = "formToken", required = false) String formToken,
			@RequestParam(name = "reason", required = false) String reason, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		return act(requestId, formToken, session, redirect, () -> {
			if (reason == null || reason.isBlank()) {
				throw new RequestException(RequestException.Kind.INVALID,
						"Choose the reason for the revocation; nothing was revoked.");
			}
			// The certificate is the request's own, never a serial sent with the form.
			RequestTimeline.Certificate certificate = this.requestTimeline.certificate(requestId)
				.orElseThrow(() -> new RequestException(RequestException.Kind.CONFLICT,
						"Request " + requestId + " has no certificate to revoke."));
			RevokeCertificate.Status status = this.revokeCertificate.revoke(certificate.serial(), reason,
					user.getName());
			return "Certificate " + status.serial() + " was revoked (" + status.reason() + ").";
		});
	}

	/**
	 * One action from a form: claims its one-time token, runs the use case, and goes back
	 * to the detail page with what came of it.
	 */
	private String act(String requestId, String formToken, HttpSession session, RedirectAttributes redirect,
			Supplier<String> action) {
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		switch (claim.outcome()) {
			case DONE -> redirect.addFlashAttribute("actionNotice",
					"This form was sent before: " + claim.result() + " Nothing was done a second time.");
			case SENDING -> redirect.addFlashAttribute("actionNotice",
					"This form is being sent already (from another tab or a double click). "
							+ "Nothing was done a second time; look at the timeline below.");
			case UNKNOWN -> redirect.addFlashAttribute("actionError",
					"This form has expired. Nothing was done; look at the request below and try again.");
			default -> {
				try {
					String done = action.get();
					tokens.done(formToken, done);
					redirect.addFlashAttribute("actionSuccess", done);
				}
				catch (RequestException ex) {
					tokens.release(formToken);
					redirect.addFlashAttribute("actionError", ex.getMessage());
				}
				catch (RuntimeException ex) {
					tokens.release(formToken);
					throw ex;
				}
			}
		}
		return "redirect:"
				+ UriComponentsBuilder.fromPath("/ramc/requests/{id}").buildAndExpand(requestId).encode().toUriString();
	}

	private static String pageUrl(Map<String, String> criteria, int page) {
		UriComponentsBuilder url = UriComponentsBuilder.fromPath("/ramc/requests");
		criteria.forEach((name, value) -> {
			if (value != null && !value.isBlank()) {
				url.queryParam(name, value);
			}
		});
		return url.queryParam("page", page).encode().build().toUriString();
	}

	private static ModelAndView layout(String view, String title, Principal user) {
		return new ModelAndView(view).addObject("title", title)
			.addObject("section", "requests")
			.addObject("user", (user != null) ? user.getName() : null);
	}

	private static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : null;
	}

	record Row(String requestId, String status, String certificateClass, String email, String fullName,
			String createdAt, boolean escalated, String escalatedAt) {
	}

	record TimelineRow(String at, String source, String kind, String actor, String detail, String status) {
	}

}
