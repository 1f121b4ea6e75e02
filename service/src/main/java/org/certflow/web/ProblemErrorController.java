package org.certflow.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * Every error that does not come from one of our API controllers ends here: Spring
 * Security's 401 and 403, unknown paths, methods and media types no handler takes, a
 * filter's sendError, an exception nobody handled. It answers RFC 9457 problem details
 * (an HTML page to a browser) instead of Spring's own JSON, with a detail a person
 * understands and never an exception's message for a 5xx. The engine REST API keeps
 * answering its own errors in its own format; only what reaches the servlet container's
 * error page comes here.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

	private final ErrorAttributes errorAttributes;

	ProblemErrorController(ErrorAttributes errorAttributes) {
		this.errorAttributes = errorAttributes;
	}

	@RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
	ModelAndView page(HttpServletRequest request) {
		ProblemDetail problem = problemFor(request);
		ModelAndView page = new ModelAndView("pages/message").addObject("title", problem.getTitle())
			.addObject("message", problem.getDetail());
		page.setStatus(HttpStatus.valueOf(problem.getStatus()));
		return page;
	}

	@RequestMapping
	ResponseEntity<ProblemDetail> problem(HttpServletRequest request) {
		ProblemDetail problem = problemFor(request);
		// Set here, so that a client that accepts only, say, a PEM chain still gets the
		// problem instead of a 406 with no body.
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private ProblemDetail problemFor(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (!(code instanceof Integer)) {
			// Called by its address, not by the container after an error: there is
			// nothing here.
			return ApiErrors.problem(HttpStatus.NOT_FOUND, notFound(request.getRequestURI()));
		}
		String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		Throwable error = this.errorAttributes.getError(new ServletWebRequest(request));
		if (error != null && ApiErrors.isConcurrentWrite(error)) {
			return ApiErrors.concurrentWrite();
		}
		HttpStatus status = HttpStatus.resolve((Integer) code);
		if (status == null) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemDetail problem = ApiErrors.problem(status, detail(status, path, error, request));
		if (path != null) {
			try {
				problem.setInstance(new URI(path));
			}
			catch (URISyntaxException ex) {
				// A path Tomcat let through but URI refuses: the problem is clear without
				// it.
			}
		}
		return problem;
	}

	private static String detail(HttpStatus status, String path, Throwable error, HttpServletRequest request) {
		if (status.is5xxServerError()) {
			return (status == HttpStatus.SERVICE_UNAVAILABLE) ? "CertFlow cannot answer now; try again in a minute."
					: "Something went wrong on our side; it has been logged. Try again later, and tell the "
							+ "CertFlow operator if it keeps happening.";
		}
		switch (status) {
			case UNAUTHORIZED:
				return "This needs the HTTP Basic credentials of a CertFlow user (user name and password).";
			case FORBIDDEN:
				// Spring Security does not tell which check refused: a user's rights or a
				// form's CSRF token. Say both, so that an applicant knows what to do too.
				return "This is not allowed: either your user lacks the rights (ask a CertFlow administrator "
						+ "for the right group), or a form was too old or not sent from this site (reload the page "
						+ "and send it again).";
			case NOT_FOUND:
				return notFound(path);
			default:
				break;
		}
		if (error instanceof HttpMessageNotReadableException) {
			return "The request body is not valid JSON for this endpoint.";
		}
		if (error instanceof HttpMediaTypeNotSupportedException ex) {
			return "The request body's Content-Type "
					+ ((ex.getContentType() != null) ? "'" + ex.getContentType() + "' " : "")
					+ "is not accepted here; send it as " + types(ex.getSupportedMediaTypes()) + ".";
		}
		if (error instanceof HttpMediaTypeNotAcceptableException ex) {
			return "This answers only as " + types(ex.getSupportedMediaTypes())
					+ "; ask for one of these in the Accept header.";
		}
		if (error instanceof ErrorResponse response && response.getBody().getDetail() != null) {
			return response.getBody().getDetail();
		}
		Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
		if (message instanceof String text && !text.isBlank() && !text.equals(status.getReasonPhrase())) {
			return text;
		}
		return status.getReasonPhrase() + ".";
	}

	private static String types(List<MediaType> types) {
		return types.stream().map(MediaType::toString).collect(Collectors.joining(" or "));
	}

	private static String notFound(String path) {
		return "There is nothing at " + ((path != null) ? path : "this address")
				+ ". The API is described at /v3/api-docs.";
	}

}
