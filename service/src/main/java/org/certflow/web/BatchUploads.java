package org.certflow.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.certflow.batch.BatchSettings;
import org.certflow.batch.Batches;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.multipart.MultipartFile;

/** What the batch API and the batch pages share. */
final class BatchUploads {

	private BatchUploads() {
	}

	/**
	 * The checks before a file is read.
	 * <p>
	 * The API's other writes take only JSON, which no cross-site form can send; a
	 * multipart upload can be sent by any page, and a browser adds the HTTP Basic
	 * credentials it remembers. So an upload that a browser marks as coming from another
	 * site ({@code Sec-Fetch-Site}, or without it an {@code Origin} other than this host)
	 * is refused; scripts and command-line clients send neither header. The console's
	 * form has its CSRF token instead (and its pages send no Referer, so browsers send
	 * {@code Origin: null} from them).
	 * @param api whether this is the API, which has no CSRF token
	 * @return the refusal, or {@code null} to go on
	 */
	static ResponseEntity<ProblemDetail> refuse(HttpServletRequest request, MultipartFile file, BatchSettings settings,
			boolean api) {
		if (api && crossSite(request)) {
			return problem(HttpStatus.FORBIDDEN,
					"Batch files are not taken from pages of other sites. Upload it in the RA console, or with "
							+ "a client such as curl.");
		}
		if (file == null) {
			return problem(HttpStatus.BAD_REQUEST,
					"Send the CSV file as multipart/form-data in a field named file, for example "
							+ "curl -F file=@requests.csv.");
		}
		if (file.getSize() > settings.maxFileSize().toBytes()) {
			return problem(HttpStatus.PAYLOAD_TOO_LARGE,
					"The file is larger than " + PayloadTooLargeException.size(settings.maxFileSize().toBytes())
							+ ", the most a batch file may have. Split it into smaller files.");
		}
		return null;
	}

	static boolean crossSite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			// Set by the browser itself; no page can forge or remove it.
			return !site.equals("same-origin") && !site.equals("none");
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return false;
		}
		String host = request.getHeader("Host");
		try {
			return host == null || !host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	/** Writes a batch's error report, or throws NOT_FOUND before writing anything. */
	static void writeReport(Batches batches, String batchId, HttpServletResponse response) throws IOException {
		batches.checkExists(batchId);
		response.setContentType("text/csv;charset=UTF-8");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Content-Disposition", "attachment; filename=\"batch-" + batchId + "-errors.csv\"");
		Writer out = response.getWriter();
		batches.writeErrorReport(batchId, out);
		out.flush();
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String message) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ApiErrors.problem(status, message));
	}

}
