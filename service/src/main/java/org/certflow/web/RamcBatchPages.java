package org.certflow.web;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.certflow.batch.Batch;
import org.certflow.batch.BatchSettings;
import org.certflow.batch.Batches;
import org.certflow.batch.UploadBatch;
import org.certflow.request.RequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * RAMC: batch files. The upload form (the twin of {@code POST /api/v1/batches}), recent
 * batches, and a batch's page, which refreshes itself until every row is handled, with
 * its first row errors, the error report and the requests it made.
 */
@Controller
@RequestMapping(RamcBatchPages.PATH)
class RamcBatchPages {

	static final String PATH = "/ramc/batches";

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final UploadBatch upload;

	private final Batches batches;

	private final BatchSettings settings;

	RamcBatchPages(UploadBatch upload, Batches batches, BatchSettings settings) {
		this.upload = upload;
		this.batches = batches;
		this.settings = settings;
	}

	@GetMapping
	ModelAndView list(Principal user) {
		return listPage(user);
	}

	@PostMapping
	ModelAndView upload(@RequestParam(name = "file", required = false) MultipartFile file, Principal user,
			HttpServletRequest request, RedirectAttributes redirect) {
		MultipartFile chosen = (file == null || file.getOriginalFilename() == null
				|| file.getOriginalFilename().isEmpty()) ? null : file;
		ResponseEntity<ProblemDetail> refused = BatchUploads.refuse(request, chosen, this.settings, false);
		if (refused != null) {
			return refused(user,
					"The file was not taken: "
							+ ((chosen == null) ? "choose a CSV file first." : refused.getBody().getDetail()),
					HttpStatus.valueOf(refused.getStatusCode().value()));
		}
		UploadBatch.Uploaded uploaded;
		try {
			uploaded = this.upload.upload(chosen.getOriginalFilename(), chosen.getSize(), chosen, user.getName());
		}
		catch (RequestException ex) {
			return refused(user, "The file was not taken: " + ex.getMessage(), ApiErrors.status(ex.kind()));
		}
		if (!uploaded.created()) {
			redirect.addFlashAttribute("notice",
					"This file was uploaded before (" + TIME.format(uploaded.batch().uploadedAt()) + ", by "
							+ uploaded.batch().uploadedBy() + "): this is its batch. Nothing was made twice.");
		}
		// Post/redirect/get: reloading the batch's page uploads nothing again.
		return new ModelAndView("redirect:" + PATH + "/" + uploaded.batch().batchId());
	}

	@GetMapping("/{batchId}")
	ModelAndView batch(@PathVariable String batchId, Principal user, HttpServletResponse response) {
		Batches.Progress progress;
		try {
			progress = this.batches.progress(batchId);
		}
		catch (RequestException ex) {
			return refused(user, ex.getMessage(), HttpStatus.NOT_FOUND);
		}
		BatchRow row = BatchRow.of(progress.batch());
		if (!row.done()) {
			// The page refreshes itself (an HTTP header: the console's policy allows no
			// inline script) until every row is handled.
			response.setHeader("Refresh", "2");
		}
		return page("ramc/batch", "Batch", user).addObject("batch", row)
			.addObject("errors", progress.errors())
			.addObject("errorsShown", progress.errorsShown())
			.addObject("requests", this.batches.requests(batchId, 100));
	}

	@GetMapping("/{batchId}/errors.csv")
	void errors(@PathVariable String batchId, HttpServletResponse response) throws IOException {
		try {
			BatchUploads.writeReport(this.batches, batchId, response);
		}
		catch (RequestException ex) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND, ex.getMessage());
		}
	}

	private ModelAndView refused(Principal user, String message, HttpStatus status) {
		ModelAndView page = listPage(user).addObject("formError", message);
		page.setStatus(status);
		return page;
	}

	private ModelAndView listPage(Principal user) {
		return page("ramc/batches", "Batches", user)
			.addObject("batches", this.batches.recent(50).stream().map(BatchRow::of).toList())
			.addObject("maxFileSize", PayloadTooLargeException.size(this.settings.maxFileSize().toBytes()));
	}

	private static ModelAndView page(String view, String title, Principal user) {
		return new ModelAndView(view).addObject("title", title)
			.addObject("section", "batches")
			.addObject("user", (user != null) ? user.getName() : null);
	}

	/**
	 * A batch as the pages show it.
	 *
	 * @param batchId the batch id
	 * @param fileName the file's name, or empty
	 * @param uploadedBy who
	 * @param uploadedAt when, formatted
	 * @param finishedAt when the last row was handled, formatted, or empty
	 * @param status QUEUED, RUNNING or DONE
	 * @param total rows
	 * @param processed rows handled
	 * @param created requests made
	 * @param failed rows refused
	 * @param skipped rows uploaded before
	 * @param percent processed out of total
	 * @param done whether every row is handled
	 */
	record BatchRow(String batchId, String fileName, String uploadedBy, String uploadedAt, String finishedAt,
			String status, int total, int processed, int created, int failed, int skipped, int percent, boolean done) {

		static BatchRow of(Batch b) {
			return new BatchRow(b.batchId(), (b.fileName() != null) ? b.fileName() : "", b.uploadedBy(),
					format(b.uploadedAt()), format(b.finishedAt()), b.status(), b.total(), b.processed(), b.created(),
					b.failed(), b.skipped(), b.percent(), b.done());
		}

		private static String format(Instant instant) {
			return (instant != null) ? TIME.format(instant) : "";
		}

	}

}
