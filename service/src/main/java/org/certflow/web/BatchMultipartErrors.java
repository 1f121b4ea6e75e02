package org.certflow.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * A batch upload whose multipart body cannot be read (cut off, malformed, or over the
 * size limit while it streams in) fails before any controller is chosen, so no
 * controller's handler sees it: this advice answers it with a problem instead of a 500.
 * Other paths' multipart failures are left as they were.
 */
@ControllerAdvice
class BatchMultipartErrors {

	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> unreadable(MultipartException ex, HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.equals(BatchApiController.PATH) && !path.equals(RamcBatchPages.PATH)) {
			throw ex;
		}
		PayloadTooLargeException tooLarge = PayloadTooLargeException.in(ex);
		if (tooLarge != null || ex instanceof MaxUploadSizeExceededException) {
			return problem(HttpStatus.PAYLOAD_TOO_LARGE, (tooLarge != null) ? tooLarge.getMessage()
					: "The file is larger than a batch file may be. Split it into smaller files.");
		}
		return problem(HttpStatus.BAD_REQUEST, "The upload is not a readable multipart/form-data body. Send the "
				+ "file in a field named file, as curl -F file=@requests.csv does.");
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String message) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ApiErrors.problem(status, message));
	}

}
