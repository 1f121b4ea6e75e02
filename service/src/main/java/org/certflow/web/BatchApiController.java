package org.certflow.web;

import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.certflow.batch.Batch;
import org.certflow.batch.BatchSettings;
import org.certflow.batch.Batches;
import org.certflow.batch.UploadBatch;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Batch upload for RA admins: a CSV file of invitations or requests on the applicants'
 * behalf, run row by row in the background, and how far it has come.
 */
@RestController
@RequestMapping(BatchApiController.PATH)
@Tag(name = "Batches")
@SecurityRequirement(name = "basic")
class BatchApiController {

	static final String PATH = "/api/v1/batches";

	private final UploadBatch upload;

	private final Batches batches;

	private final BatchSettings settings;

	BatchApiController(UploadBatch upload, Batches batches, BatchSettings settings) {
		this.upload = upload;
		this.batches = batches;
		this.settings = settings;
	}

	@Operation(summary = "Upload a batch file",
			description = "multipart/form-data with the CSV file in the field 'file' (RFC 4180, UTF-8, header row). "
					+ "Columns email,fullName,certificateClass[,phone,organisation] make invitations; with a csrPem "
					+ "column each row is a request on the applicant's behalf (an empty csrPem: an invitation in "
					+ "which the applicant lets the server make the key, where the class allows it). The whole "
					+ "file is checked and stored before the answer (202, the batch id); its rows are then "
					+ "handled in the background. The same file again answers 200 with the batch it made.")
	@ApiResponse(responseCode = "202", description = "stored; its rows are being handled")
	@ApiResponse(responseCode = "200", description = "this file was uploaded before: its batch")
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> upload(@RequestParam(name = "file", required = false) MultipartFile file, Principal admin,
			HttpServletRequest request) {
		ResponseEntity<ProblemDetail> refused = BatchUploads.refuse(request, file, this.settings, true);
		if (refused != null) {
			return refused;
		}
		UploadBatch.Uploaded uploaded = this.upload.upload(file.getOriginalFilename(), file.getSize(), file,
				admin.getName());
		URI location = URI.create(PATH + "/" + uploaded.batch().batchId());
		return (uploaded.created() ? ResponseEntity.accepted() : ResponseEntity.ok()).location(location)
			.body(new Started(uploaded.batch().batchId()));
	}

	@Operation(summary = "How far a batch has come",
			description = "Counts of its rows and its first row errors by row (errorsShown at most, "
					+ "certflow.batch.errors-shown); errors.csv has all of them.")
	@GetMapping(path = "/{batchId}", produces = MediaType.APPLICATION_JSON_VALUE)
	BatchView batch(@PathVariable String batchId) {
		return BatchView.of(this.batches.progress(batchId));
	}

	@Operation(summary = "The newest 50 batches")
	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	List<BatchView> recent() {
		return this.batches.recent(50)
			.stream()
			.map((b) -> BatchView.of(new Batches.Progress(b, List.of(), 0)))
			.toList();
	}

	@Operation(summary = "A batch's error report",
			description = "CSV: row,email,certificateClass,message for every refused row. A cell a spreadsheet "
					+ "would read as a formula (starting with = + - @, tab or CR) starts with an apostrophe.")
	@GetMapping("/{batchId}/errors.csv")
	void errors(@PathVariable String batchId, HttpServletResponse response) throws IOException {
		BatchUploads.writeReport(this.batches, batchId, response);
	}

	/**
	 * A stored batch.
	 *
	 * @param batchId the batch id
	 */
	record Started(String batchId) {
	}

	/**
	 * A batch's progress.
	 *
	 * @param batchId the batch id
	 * @param status QUEUED, RUNNING or DONE
	 * @param fileName the uploaded file's name
	 * @param uploadedBy the RA admin
	 * @param uploadedAt when
	 * @param finishedAt when its last row was handled, or null
	 * @param total its rows
	 * @param processed rows handled so far (created, failed or skipped)
	 * @param failed rows refused
	 * @param skipped rows uploaded before (in any batch): nothing made twice
	 * @param created requests made
	 * @param percent processed out of total
	 * @param errors the first row errors by row
	 * @param errorsShown at most this many in errors
	 */
	record BatchView(String batchId, String status, String fileName, String uploadedBy, Instant uploadedAt,
			Instant finishedAt, int total, int processed, int failed, int skipped, int created, int percent,
			List<ErrorView> errors, int errorsShown) {

		static BatchView of(Batches.Progress progress) {
			Batch b = progress.batch();
			return new BatchView(b.batchId(), b.status(), b.fileName(), b.uploadedBy(), b.uploadedAt(), b.finishedAt(),
					b.total(), b.processed(), b.failed(), b.skipped(), b.created(), b.percent(),
					progress.errors().stream().map((e) -> new ErrorView(e.row(), e.message())).toList(),
					progress.errorsShown());
		}

	}

	/**
	 * A refused row.
	 *
	 * @param row its row number in the file (the header is row 1)
	 * @param message why
	 */
	record ErrorView(int row, String message) {
	}

}
