package org.certflow.web;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.delivery.ReissueActivation;
import org.certflow.request.CancelRequest;
import org.certflow.request.CertificateRequest;
import org.certflow.request.EnterRequestOnBehalf;
import org.certflow.request.InviteApplicant;
import org.certflow.request.RequestStatus;
import org.certflow.request.RequestTimeline;
import org.certflow.request.ResendInvitation;
import org.certflow.request.SearchRequests;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * RA admin API: invitations, requests on a user's behalf, finding requests and their
 * timelines, and the actions on a request (resend the invitation, a new activation code,
 * cancel). HTTP Basic, group ra-admins or camunda-admin. Each method is one call of a use
 * case; the RAMC pages call the same ones.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class RaApiController {

	private final InviteApplicant inviteApplicant;

	private final SearchRequests searchRequests;

	private final RequestTimeline requestTimeline;

	private final ResendInvitation resendInvitation;

	private final ReissueActivation reissueActivation;

	private final CancelRequest cancelRequest;

	private final EnterRequestOnBehalf enterRequestOnBehalf;

	RaApiController(InviteApplicant inviteApplicant, SearchRequests searchRequests, RequestTimeline requestTimeline,
			ResendInvitation resendInvitation, ReissueActivation reissueActivation, CancelRequest cancelRequest,
			EnterRequestOnBehalf enterRequestOnBehalf) {
		this.inviteApplicant = inviteApplicant;
		this.searchRequests = searchRequests;
		this.requestTimeline = requestTimeline;
		this.resendInvitation = resendInvitation;
		this.reissueActivation = reissueActivation;
		this.cancelRequest = cancelRequest;
		this.enterRequestOnBehalf = enterRequestOnBehalf;
	}

	@Operation(summary = "Invite an applicant",
			description = "Creates a certificate request and mails the applicant a one-time application link. "
					+ "The request id is the business key of its process instance.")
	@PostMapping(path = "/invitations", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<RequestView> invite(@RequestBody InvitationBody body, Principal admin) {
		CertificateRequest request = this.inviteApplicant.invite(body.email(), body.fullName(), body.certificateClass(),
				admin.getName());
		return ResponseEntity.created(URI.create("/api/v1/requests/" + request.getRequestId()))
			.body(RequestView.of(request));
	}

	@Operation(summary = "Find certificate requests",
			description = "Newest first, one page at a time. All criteria are optional and combine with AND. "
					+ "email: a whole mailbox matches exactly (domain in any case), anything else matches part "
					+ "of the mailbox; name: part of the applicant's name, any case; status: one or more, "
					+ "comma-separated; from/to: a day (UTC, inclusive) or an instant; batch: the id of the batch "
					+ "upload that made them. size 1-100, default 20.")
	@GetMapping("/requests")
	RequestPageView requests(@RequestParam(required = false) String status,
			@RequestParam(required = false) String email, @RequestParam(required = false) String name,
			@Parameter(name = "class", description = "certificate class") @RequestParam(name = "class",
					required = false) String certificateClass,
			@RequestParam(required = false) String serial, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String batch) {
		SearchRequests.RequestPage found = this.searchRequests.search(new SearchRequests.Criteria(status, email, name,
				certificateClass, serial, from, to, page, size, batch));
		return new RequestPageView(found.total(), found.page(), found.size(),
				found.items().stream().map(RequestView::of).toList());
	}

	@Operation(summary = "A certificate request with its timeline",
			description = "The request, its certificate once issued, and its timeline in time order: events "
					+ "(who, when, why), mails to the applicant (kind, delivery status; never their text) and the "
					+ "certificate.")
	@GetMapping("/requests/{requestId}")
	RequestDetailView request(@PathVariable String requestId) {
		return RequestDetailView.of(this.requestTimeline.detail(requestId));
	}

	@Operation(summary = "Enter a request on the applicant's behalf",
			description = "A complete request (applicant data and CSR) without an invitation. The CSR is checked "
					+ "like an application's; the request goes through the same check and approval; the "
					+ "applicant gets only the activation mail. The Idempotency-Key header is required: the same "
					+ "key again returns the request it made (200) instead of making a second one.")
	@ApiResponse(responseCode = "201", description = "created")
	@ApiResponse(responseCode = "200", description = "made earlier with the same Idempotency-Key")
	@PostMapping(path = "/requests", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<RequestView> enter(@RequestHeader(name = "Idempotency-Key", required = false) String key,
			@RequestBody OnBehalfBody body, Principal admin) {
		EnterRequestOnBehalf.Entered entered = this.enterRequestOnBehalf
			.enter(new EnterRequestOnBehalf.Entry(body.email(), body.fullName(), body.certificateClass(), body.phone(),
					body.organisation(), body.csrPem()), key, admin.getName());
		URI location = URI.create("/api/v1/requests/" + entered.request().getRequestId());
		return (entered.created() ? ResponseEntity.created(location) : ResponseEntity.ok().location(location))
			.body(RequestView.of(entered.request()));
	}

	@Operation(summary = "Send the invitation again",
			description = "A new link is mailed; the old one stops working. Only while the request awaits its "
					+ "application (INVITED); 409 otherwise.")
	@PostMapping("/requests/{requestId}/invitation")
	RequestView resendInvitation(@PathVariable String requestId, Principal admin) {
		return RequestView.of(this.resendInvitation.resend(requestId, admin.getName()));
	}

	@Operation(summary = "Issue a new activation code and PIN",
			description = "The way out of an activation locked after too many wrong PINs, or a lost mail: a new "
					+ "code and PIN are mailed, the old code stops working. Only while the certificate awaits "
					+ "collection (ISSUED); 409 otherwise.")
	@PostMapping("/requests/{requestId}/activation")
	ActivationView reissueActivation(@PathVariable String requestId, Principal admin) {
		return new ActivationView(requestId, this.reissueActivation.reissue(requestId, admin.getName()));
	}

	@Operation(summary = "Cancel a request",
			description = "Ends the request (CANCELLED) and its process; its invitation or activation link stops "
					+ "working; a certificate issued but not collected is revoked (cessationOfOperation). Not "
					+ "after collection (409): revoke the certificate instead.")
	@PostMapping(path = "/requests/{requestId}/cancellation", consumes = MediaType.APPLICATION_JSON_VALUE)
	RequestView cancel(@PathVariable String requestId, @RequestBody CancellationBody body, Principal admin) {
		return RequestView.of(this.cancelRequest.cancel(requestId, body.reason(), admin.getName()));
	}

	/**
	 * A request entered on the applicant's behalf.
	 *
	 * @param email the applicant's mailbox
	 * @param fullName the applicant's full name
	 * @param certificateClass the class to issue
	 * @param phone optional telephone number
	 * @param organisation optional organisation
	 * @param csrPem the applicant's PKCS#10 request in PEM
	 */
	record OnBehalfBody(String email, String fullName, String certificateClass, String phone, String organisation,
			String csrPem) {
	}

	/**
	 * A cancellation.
	 *
	 * @param reason why (required, at most 500 characters; kept on the timeline)
	 */
	record CancellationBody(String reason) {
	}

	/**
	 * A new activation code was mailed.
	 *
	 * @param requestId the request
	 * @param expiresAt when the new code expires
	 */
	record ActivationView(String requestId, Instant expiresAt) {
	}

	/**
	 * A page of requests.
	 *
	 * @param total matching requests in all
	 * @param page page number from 0
	 * @param size page size
	 * @param items this page's requests, newest first
	 */
	record RequestPageView(long total, int page, int size, List<RequestView> items) {
	}

	/**
	 * A request with its certificate and timeline.
	 *
	 * @param requestId the request id (business key)
	 * @param status the business status
	 * @param email the applicant's mailbox
	 * @param fullName the applicant's full name
	 * @param certificateClass the certificate class
	 * @param phone telephone number, when entered on the applicant's behalf
	 * @param organisation organisation, when entered on the applicant's behalf
	 * @param keyDescription key type and size, once submitted
	 * @param decision the officer's decision, once decided
	 * @param decisionReason the reason given
	 * @param decidedBy the officer
	 * @param certificateSerial serial of the issued certificate (lowercase hex)
	 * @param createdBy the RA admin who created it
	 * @param createdAt when
	 * @param updatedAt last change
	 * @param escalatedAt when validation was first escalated to the supervisors, or null
	 * @param approvalRoute the route the approval policy chose, once submitted
	 * @param certificate the certificate once issued
	 * @param timeline what happened, oldest first
	 */
	record RequestDetailView(String requestId, RequestStatus status, String email, String fullName,
			String certificateClass, String phone, String organisation, String keyDescription, String decision,
			String decisionReason, String decidedBy, String certificateSerial, String createdBy, Instant createdAt,
			Instant updatedAt, Instant escalatedAt, String approvalRoute, RequestTimeline.Certificate certificate,
			List<RequestTimeline.Entry> timeline) {

		static RequestDetailView of(RequestTimeline.Detail detail) {
			CertificateRequest request = detail.request();
			return new RequestDetailView(request.getRequestId(), request.getStatus(), request.getEmail(),
					request.getFullName(), request.getCertificateClass(), request.getPhone(), request.getOrganisation(),
					request.getKeyDescription(), request.getDecision(), request.getDecisionReason(),
					request.getDecidedBy(), request.getCertificateSerial(), request.getCreatedBy(),
					request.getCreatedAt(), request.getUpdatedAt(), request.getEscalatedAt(),
					request.getApprovalRoute(), detail.certificate(), detail.timeline());
		}

	}

	/**
	 * An invitation.
	 *
	 * @param email the applicant's mailbox
	 * @param fullName the applicant's full name
	 * @param certificateClass the class to issue, such as {@code standard}
	 */
	record InvitationBody(String email, String fullName, String certificateClass) {
	}

	/**
	 * A certificate request as the RA sees it.
	 *
	 * @param requestId the request id (business key)
	 * @param status the business status
	 * @param email the applicant's mailbox
	 * @param fullName the applicant's full name
	 * @param certificateClass the certificate class
	 * @param keyDescription key type and size, once submitted
	 * @param decision the officer's decision, once decided
	 * @param decisionReason the reason given
	 * @param decidedBy the officer
	 * @param certificateSerial serial of the issued certificate (lowercase hex)
	 * @param createdBy the RA admin who created it
	 * @param createdAt when
	 * @param updatedAt last change
	 * @param escalatedAt when validation was first escalated to the supervisors, or null
	 */
	record RequestView(String requestId, RequestStatus status, String email, String fullName, String certificateClass,
			String keyDescription, String decision, String decisionReason, String decidedBy, String certificateSerial,
			String createdBy, Instant createdAt, Instant updatedAt, Instant escalatedAt) {

		static RequestView of(CertificateRequest request) {
			return new RequestView(request.getRequestId(), request.getStatus(), request.getEmail(),
					request.getFullName(), request.getCertificateClass(), request.getKeyDescription(),
					request.getDecision(), request.getDecisionReason(), request.getDecidedBy(),
					request.getCertificateSerial(), request.getCreatedBy(), request.getCreatedAt(),
					request.getUpdatedAt(), request.getEscalatedAt());
		}

	}

}
