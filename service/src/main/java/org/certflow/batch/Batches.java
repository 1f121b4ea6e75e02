package org.certflow.batch;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Optional;

import org.certflow.request.RequestException;

import org.springframework.stereotype.Service;

/**
 * In-port: what RA admins read about batches: their progress, their first row errors, the
 * whole error report as CSV, and which batch row made a request.
 */
@Service
public class Batches {

	/** Error rows read from the database at a time while the report is written. */
	private static final int REPORT_PAGE = 500;

	private final BatchStore store;

	private final BatchSettings settings;

	Batches(BatchStore store, BatchSettings settings) {
		this.store = store;
		this.settings = settings;
	}

	/**
	 * @param batchId the batch
	 * @return the batch with its first row errors
	 * @throws RequestException NOT_FOUND for an unknown batch
	 */
	public Progress progress(String batchId) {
		Batch batch = batch(batchId);
		return new Progress(batch, this.store.errors(batchId, 0, this.settings.errorsShown()),
				this.settings.errorsShown());
	}

	/**
	 * @param limit how many
	 * @return the newest batches
	 */
	public List<Batch> recent(int limit) {
		return this.store.recent(limit);
	}

	/**
	 * @param batchId the batch
	 * @param limit how many
	 * @return the requests the batch made, by row
	 */
	public List<Batch.Row> requests(String batchId, int limit) {
		batch(batchId);
		return this.store.rows(batchId, limit);
	}

	/**
	 * @param requestId a request
	 * @return the batch row that made it, if a batch did
	 */
	public Optional<Batch.Row> rowOf(String requestId) {
		return this.store.rowOfRequest(requestId);
	}

	/**
	 * Checks that a batch exists, before its report is written.
	 * @param batchId the batch
	 * @throws RequestException NOT_FOUND for an unknown batch
	 */
	public void checkExists(String batchId) {
		batch(batchId);
	}

	/**
	 * Writes every row error of a batch as CSV (RFC 4180, header
	 * {@code row,email,certificateClass,message}), a page of rows at a time. A cell that
	 * a spreadsheet would take for a formula is neutralised (see {@link ReportCells}).
	 * @param batchId the batch
	 * @param out where to
	 * @throws IOException when writing fails
	 */
	public void writeErrorReport(String batchId, Writer out) throws IOException {
		out.write("row,email,certificateClass,message\r\n");
		int after = 0;
		for (;;) {
			List<Batch.RowError> page = this.store.errors(batchId, after, REPORT_PAGE);
			for (Batch.RowError error : page) {
				out.write(Integer.toString(error.row()));
				out.write(',');
				out.write(ReportCells.cell(error.email()));
				out.write(',');
				out.write(ReportCells.cell(error.certificateClass()));
				out.write(',');
				out.write(ReportCells.cell(error.message()));
				out.write("\r\n");
				after = error.row();
			}
			if (page.size() < REPORT_PAGE) {
				return;
			}
		}
	}

	private Batch batch(String batchId) {
		return this.store.find(batchId)
			.orElseThrow(
					() -> new RequestException(RequestException.Kind.NOT_FOUND, "There is no batch " + batchId + "."));
	}

	/**
	 * A batch and its first row errors.
	 *
	 * @param batch the batch
	 * @param errors its first row errors, by row
	 * @param errorsShown at most this many are in errors
	 */
	public record Progress(Batch batch, List<Batch.RowError> errors, int errorsShown) {
	}

}
