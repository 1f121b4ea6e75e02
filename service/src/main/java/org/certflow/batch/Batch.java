package org.certflow.batch;

import java.time.Instant;

/**
 * A batch upload as stored ({@code batch_upload}).
 *
 * @param batchId the batch id
 * @param contentSha256 the SHA-256 of the file, lowercase hex: the same file is one batch
 * @param fileName the name the file had on the uploader's machine, or {@code null}
 * @param fileSize its size in bytes
 * @param columns the columns of its header row ({@link Column.Layout#stored()})
 * @param uploadedBy the RA admin, who is also the creator of its requests
 * @param uploadedAt when
 * @param status QUEUED, RUNNING or DONE
 * @param total the rows of the file, header and blank lines not counted
 * @param processed the rows handled so far, whatever their outcome
 * @param failed of those, refused (see the row errors)
 * @param skipped of those, already uploaded earlier (in this batch or another)
 * @param nextRow the row number where the worker goes on
 * @param nextOffset the byte offset where that row starts
 * @param finishedAt when the last row was handled, or {@code null}
 */
public record Batch(String batchId, String contentSha256, String fileName, long fileSize, String columns,
		String uploadedBy, Instant uploadedAt, String status, int total, int processed, int failed, int skipped,
		int nextRow, long nextOffset, Instant finishedAt) {

	/** Stored, not started. */
	public static final String QUEUED = "QUEUED";

	/** A node is working through its rows (or was, and its lease has not run out). */
	public static final String RUNNING = "RUNNING";

	/** Every row handled. */
	public static final String DONE = "DONE";

	/**
	 * @return whether every row has been handled
	 */
	public boolean done() {
		return DONE.equals(this.status);
	}

	/**
	 * @return rows handled out of all rows, 0-100
	 */
	public int percent() {
		if (this.total == 0) {
			return done() ? 100 : 0;
		}
		return Math.min(100, (int) (100L * this.processed / this.total));
	}

	/**
	 * @return requests made by this batch
	 */
	public int created() {
		return this.processed - this.failed - this.skipped;
	}

	/**
	 * A refused row.
	 *
	 * @param row its row number (the header is row 1)
	 * @param email its email cell, as uploaded (may be anything)
	 * @param certificateClass its certificateClass cell, as uploaded
	 * @param message why it was refused: the same words a single request would get
	 */
	public record RowError(int row, String email, String certificateClass, String message) {
	}

	/**
	 * A request a batch made.
	 *
	 * @param batchId the batch
	 * @param row its row number
	 * @param requestId the request
	 */
	public record Row(String batchId, int row, String requestId) {
	}

}
