package org.certflow.web;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.request.CertificateRequest;
import org.certflow.request.FindRequest;
import org.certflow.request.InviteApplicant;
import org.certflow.request.RequestStatus;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * RA admin API: invitations and request status. HTTP Basic, group ra-admins or
 * camunda-admin.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class RaApiController {

	private final InviteApplicant inviteApplicant;

	private final FindRequest findRequest;

	RaApiController(InviteApplicant inviteApplicant, FindRequest findRequest) {
		this.inviteApplicant = inviteApplicant;
		this.findRequest = findRequest;
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

	@Operation(summary = "Status of a certificate request")
	@GetMapping("/requests/{requestId}")
	RequestView request(@PathVariable String requestId) {
		return RequestView.of(this.findRequest.byId(requestId));
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
