package org.certflow.web;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.billing.BillingEvent;
import org.certflow.billing.BillingQueue;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * RA admin API on the billing module: the events sent to the billing system, sending a
 * FAILED one again, and a period's events as CSV.
 */
@RestController
@RequestMapping("/api/v1/billing")
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class BillingApiController {

	private final BillingQueue billing;

	BillingApiController(BillingQueue billing) {
		this.billing = billing;
	}

	@Operation(summary = "Billing events, newest first",
			description = "One per issuance and per revocation while certflow.billing.enabled is on. status=FAILED "
					+ "lists those the billing system refused or did not take within certflow.billing.give-up-after.")
	@GetMapping(path = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
	BillingQueue.EventPage events(@RequestParam(name = "status", required = false) String status,
			@RequestParam(name = "page", defaultValue = "0") int page,
			@RequestParam(name = "size", defaultValue = "20") int size) {
		return this.billing.list(status, page, size);
	}

	@Operation(summary = "Send a FAILED billing event again",
			description = "Puts the event back for sending at once, with a fresh retry period; 409 unless it is "
					+ "FAILED. The billing system gets the same idempotency key as before.")
	@PostMapping(path = "/events/{eventId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BillingEvent> retry(@PathVariable String eventId, Principal admin) {
		return ResponseEntity.accepted().body(this.billing.retry(eventId, admin.getName()));
	}

	@Operation(summary = "A period's billing events as CSV",
			description = "from and to are days (UTC, yyyy-mm-dd), both included; at most 366 days.")
	@GetMapping(path = "/export.csv", produces = "text/csv")
	ResponseEntity<StreamingResponseBody> export(@RequestParam(name = "from", required = false) String from,
			@RequestParam(name = "to", required = false) String to) {
		BillingQueue.Period period = this.billing.period(from, to);
		return csv(this.billing, period);
	}

	/** The CSV answer of an export, shared with the RAMC. */
	static ResponseEntity<StreamingResponseBody> csv(BillingQueue billing, BillingQueue.Period period) {
		StreamingResponseBody body = (out) -> billing.export(period,
				new OutputStreamWriter(out, StandardCharsets.UTF_8));
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"billing-" + period.first() + "-to-" + period.last() + ".csv\"")
			.body(body);
	}

}
