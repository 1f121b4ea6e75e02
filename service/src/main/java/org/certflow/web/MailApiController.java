package org.certflow.web;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.delivery.MailQueue;
import org.certflow.delivery.QueuedMail;
import org.certflow.request.RequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * RA admin API on the mail outbox: which mails could not be delivered, and sending one
 * again. HTTP Basic, group ra-admins or camunda-admin. Mail bodies (links, codes, PINs)
 * are never part of an answer.
 */
@RestController
@RequestMapping(path = "/api/v1/mail", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "RA admin")
@SecurityRequirement(name = "basic")
class MailApiController {

	private final MailQueue mailQueue;

	MailApiController(MailQueue mailQueue) {
		this.mailQueue = mailQueue;
	}

	@Operation(summary = "Mails to applicants, newest first",
			description = "status=FAILED lists the mails that were retried for certflow.mail.delivery.give-up-after "
					+ "without success. Without status, all mails. Bodies are never shown.")
	@GetMapping
	MailQueue.MailPage list(@RequestParam(name = "status", required = false) String status,
			@RequestParam(name = "page", defaultValue = "0") int page,
			@RequestParam(name = "size", defaultValue = "20") int size) {
		return this.mailQueue.list(status, page, size);
	}

	@Operation(summary = "Send a FAILED mail again",
			description = "Puts the mail back for sending at once, with a fresh retry period. 409 when it is "
					+ "not FAILED. Send Content-Type: application/json (an empty body will do).")
	@PostMapping(path = "/{mailId}/retry", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<QueuedMail> retry(@PathVariable String mailId, Principal admin) {
		return ResponseEntity.accepted().body(this.mailQueue.retry(mailId, admin.getName()));
	}

	@ExceptionHandler(RequestException.class)
	ResponseEntity<ProblemDetail> refused(RequestException ex) {
		HttpStatus status = ApiErrors.status(ex.kind());
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ApiErrors.problem(status, ex.getMessage()));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> notANumber(MethodArgumentTypeMismatchException ex) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ApiErrors.problem(HttpStatus.BAD_REQUEST,
					"Parameter " + ex.getName() + " must be a whole number, not '" + ex.getValue() + "'."));
	}

}
