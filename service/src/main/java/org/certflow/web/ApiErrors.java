package org.certflow.web;

import org.certflow.request.RequestException;
import org.certflow.revocation.CaMaterialNotPublishedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns refusals into RFC 9457 problem details with a message a person understands.
 * Unexpected failures keep their details in the log and tell the client only that
 * something went wrong.
 */
@RestControllerAdvice(assignableTypes = { RaApiController.class, ApplicantApiController.class,
		CertificateApiController.class, AuditApiController.class, ClassApiController.class, MailApiController.class,
		IssuanceRunApiController.class, SignerApiController.class, BillingApiController.class,
		DirectoryApiController.class, BatchApiController.class })
class ApiErrors {

	private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

	static HttpStatus status(RequestException.Kind kind) {
		return switch (kind) {
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case INVALID -> HttpStatus.BAD_REQUEST;
			case REFUSED -> HttpStatus.UNPROCESSABLE_ENTITY;
			case CONFLICT -> HttpStatus.CONFLICT;
			case GONE -> HttpStatus.GONE;
			case WRONG_SECRET -> HttpStatus.FORBIDDEN;
			case LOCKED -> HttpStatus.LOCKED;
			case STALE -> HttpStatus.PRECONDITION_FAILED;
			case VERSION_REQUIRED -> HttpStatus.PRECONDITION_REQUIRED;
		};
	}

	@ExceptionHandler(RequestException.class)
	ProblemDetail refused(RequestException ex) {
		return problem(status(ex.kind()), ex.getMessage());
	}

	/**
	 * CA material (a chain with a collected certificate, a CRL) asked for before the
	 * signer published it: a moment's wait helps, so 503 with Retry-After.
	 * @param ex the failure
	 * @return the problem
	 */
	@ExceptionHandler(CaMaterialNotPublishedException.class)
	ResponseEntity<ProblemDetail> notPublished(CaMaterialNotPublishedException ex) {
		return notPublishedYet(ex);
	}

	static ResponseEntity<ProblemDetail> notPublishedYet(CaMaterialNotPublishedException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage()));
	}

	@ExceptionHandler(PayloadTooLargeException.class)
	ProblemDetail tooLarge(PayloadTooLargeException ex) {
		return problem(HttpStatus.PAYLOAD_TOO_LARGE, ex.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		PayloadTooLargeException tooLarge = PayloadTooLargeException.in(ex);
		if (tooLarge != null) {
			return tooLarge(tooLarge);
		}
		return problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON for this endpoint.");
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ProblemDetail mediaType(HttpMediaTypeNotSupportedException ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.");
	}

	/**
	 * Two writes of the same thing at the same time (the same invitation submitted twice,
	 * the same activation collected twice, an officer's decision racing a submission):
	 * one wins, the other's transaction is rolled back whole and it gets a 409. Seen as
	 * optimistic locks, lock timeouts and unique keys; the workflow adapter reports the
	 * engine's own races (its optimistic locks, a message the process stopped waiting for
	 * a moment ago) as a {@link ConcurrencyFailureException} too.
	 * @param ex the failure
	 * @return the problem
	 */
	@ExceptionHandler({ ConcurrencyFailureException.class, DataIntegrityViolationException.class })
	ProblemDetail concurrent(RuntimeException ex) {
		log.info("Concurrent write refused with 409: {}", ex.toString());
		return concurrentWrite();
	}

	static boolean isConcurrentWrite(Throwable error) {
		for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof ConcurrencyFailureException || t instanceof DataIntegrityViolationException) {
				return true;
			}
		}
		return false;
	}

	static ProblemDetail concurrentWrite() {
		return problem(HttpStatus.CONFLICT,
				"Someone changed the same thing at the same moment and this request lost; nothing of it was "
						+ "stored. Reload to see the current state, and send it again if it still applies.");
	}

	static ProblemDetail problem(HttpStatus status, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
		problem.setTitle(status.getReasonPhrase());
		return problem;
	}

}
