package org.certflow.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.audit.AuditTrail;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * RA admin API: is the CA's audit trail intact? HTTP Basic, group ra-admins or
 * camunda-admin.
 */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class AuditApiController {

	private final AuditTrail trail;

	AuditApiController(AuditTrail trail) {
		this.trail = trail;
	}

	@Operation(summary = "Verify the CA's audit trail",
			description = "Walks the hash-chained audit events from the first to the head. firstBrokenEvent is the "
					+ "number of the first event that was changed, removed or reordered (or, when events were cut off "
					+ "the end, the first one missing); null when the chain is valid.")
	@GetMapping("/verification")
	VerificationView verification() {
		AuditTrail.Verification verification = this.trail.verify();
		return new VerificationView(verification.valid(), verification.events(), verification.firstBrokenEvent());
	}

	/**
	 * The outcome of a verification.
	 *
	 * @param valid whether the whole chain verified
	 * @param events how many events were read
	 * @param firstBrokenEvent the first event that is missing or does not verify, or null
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record VerificationView(boolean valid, long events, Long firstBrokenEvent) {
	}

}
