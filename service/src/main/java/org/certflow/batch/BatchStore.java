package org.certflow.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Out-port: batches, their stored files, the requests they made and their row errors.
 * Writes join the caller's transaction.
 */
@Repository
class BatchStore {

	/**
	 * Bytes per stored chunk of a file. Never change it: offsets of stored batches are
	 * read with it.
	 */
	static final int CHUNK = 256 * 1024;

	private static final String COLUMNS = "batch_id, content_sha256, file_name, file_size, columns_list, uploaded_by, "
			+ "uploaded_at, status, total_rows, processed_rows, failed_rows, skipped_rows, next_row, next_offset, "
			+ "finished_at";

	private final JdbcTemplate jdbc;

	BatchStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Batch batch) {
		this.jdbc.update(
				"insert into batch_upload (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				batch.batchId(), batch.contentSha256(), batch.fileName(), batch.fileSize(), batch.columns(),
				batch.uploadedBy(), Timestamp.from(batch.uploadedAt()), batch.status(), batch.total(),
				batch.processed(), batch.failed(), batch.skipped(), batch.nextRow(), batch.nextOffset(),
				(batch.finishedAt() != null) ? Timestamp.from(batch.finishedAt()) : null);
	}

	void insertChunk(String batchId, int seq, byte[] data) {
		this.jdbc.update("insert into batch_chunk (batch_id, seq, data) values (?, ?, ?)", batchId, seq, data);
	}

	/**
	 * @return the chunk, or {@code null} after the last one
	 */
	byte[] chunk(String batchId, int seq) {
		List<byte[]> rows = this.jdbc.query("select data from batch_chunk where batch_id = ? and seq = ?",
				(rs, i) -> rs.getBytes(1), batchId, seq);
		return rows.isEmpty() ? null : rows.get(0);
	}

	Optional<Batch> find(String batchId) {
		return this.jdbc
			.query("select " + COLUMNS + " from batch_upload where batch_id = ?", BatchStore::batch, batchId)
			.stream()
			.findFirst();
	}

	Optional<Batch> findByContent(String sha256) {
		return this.jdbc
			.query("select " + COLUMNS + " from batch_upload where content_sha256 = ?", BatchStore::batch, sha256)
			.stream()
			.findFirst();
	}

	List<Batch> recent(int limit) {
		return this.jdbc.query("select " + COLUMNS + " from batch_upload order by uploaded_at desc, batch_id", (rs) -> {
			List<Batch> batches = new java.util.ArrayList<>();
			while (rs.next() && batches.size() < limit) {
				batches.add(batch(rs, batches.size()));
			}
			return batches;
		});
	}

	/**
	 * @return unfinished batches no node holds a lease on, oldest first
	 */
	List<String> claimable(Instant now) {
		return this.jdbc.queryForList(
				"select batch_id from batch_upload where status <> ? and (lease_until is null or lease_until < ?) "
						+ "order by uploaded_at, batch_id",
				String.class, Batch.DONE, Timestamp.from(now));
	}

	/**
	 * @return whether this node now holds the batch
	 */
	boolean claim(String batchId, String node, Instant now, Instant until) {
		return this.jdbc.update(
				"update batch_upload set status = ?, claimed_by = ?, lease_until = ? where batch_id = ? and status <> ? "
						+ "and (lease_until is null or lease_until < ?)",
				Batch.RUNNING, node, Timestamp.from(until), batchId, Batch.DONE, Timestamp.from(now)) == 1;
	}

	/**
	 * Moves a batch past one row, renewing the lease. Only the node holding the batch,
	 * and only from the row it read, so that a node that lost its lease cannot count a
	 * row twice.
	 * @return whether the batch moved (false: this node no longer holds it)
	 */
	boolean advance(String batchId, String node, int fromRow, int nextRow, long nextOffset, int failed, int skipped,
			Instant until) {
		return this.jdbc.update(
				"update batch_upload set next_row = ?, next_offset = ?, processed_rows = processed_rows + 1, "
						+ "failed_rows = failed_rows + ?, skipped_rows = skipped_rows + ?, lease_until = ? "
						+ "where batch_id = ? and claimed_by = ? and next_row = ?",
				nextRow, nextOffset, failed, skipped, Timestamp.from(until), batchId, node, fromRow) == 1;
	}

	void finish(String batchId, String node, Instant now) {
		this.jdbc.update("update batch_upload set status = ?, finished_at = ?, claimed_by = null, lease_until = null "
				+ "where batch_id = ? and claimed_by = ?", Batch.DONE, Timestamp.from(now), batchId, node);
	}

	/** Gives a batch back (this node stops), so that the next sweep anywhere takes it. */
	void release(String batchId, String node) {
		this.jdbc.update("update batch_upload set claimed_by = null, lease_until = null where batch_id = ? "
				+ "and claimed_by = ?", batchId, node);
	}

	void insertError(String batchId, int row, String email, String certificateClass, String message) {
		this.jdbc.update(
				"insert into batch_row_error (batch_id, row_no, email, certificate_class, message) values (?, ?, ?, ?, ?)",
				batchId, row, cut(email, 320), cut(certificateClass, 64), cut(message, 1000));
	}

	/**
	 * @return errors after a row, by row, at most limit
	 */
	List<Batch.RowError> errors(String batchId, int afterRow, int limit) {
		return this.jdbc.query(
				"select row_no, email, certificate_class, message from batch_row_error where batch_id = ? and row_no > ? "
						+ "order by row_no",
				(rs) -> {
					List<Batch.RowError> errors = new java.util.ArrayList<>();
					while (errors.size() < limit && rs.next()) {
						errors.add(new Batch.RowError(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
					}
					return errors;
				}, batchId, afterRow);
	}

	Optional<Batch.Row> rowByKey(String rowKey) {
		return this.jdbc
			.query("select batch_id, row_no, request_id from batch_row where row_key = ?",
					(rs, i) -> new Batch.Row(rs.getString(1), rs.getInt(2), rs.getString(3)), rowKey)
			.stream()
			.findFirst();
	}

	void insertRow(String rowKey, String batchId, int row, String requestId, Instant now) {
		this.jdbc.update(
				"insert into batch_row (row_key, batch_id, row_no, request_id, created_at) values (?, ?, ?, ?, ?)",
				rowKey, batchId, row, requestId, Timestamp.from(now));
	}

	/** Marks a request with the batch that made it, for the request search. */
	void markRequest(String requestId, String batchId) {
		this.jdbc.update("update certificate_request set batch_id = ? where request_id = ?", batchId, requestId);
	}

	/**
	 * @return the batch row that made a request
	 */
	Optional<Batch.Row> rowOfRequest(String requestId) {
		return this.jdbc
			.query("select batch_id, row_no, request_id from batch_row where request_id = ?",
					(rs, i) -> new Batch.Row(rs.getString(1), rs.getInt(2), rs.getString(3)), requestId)
			.stream()
			.findFirst();
	}

	/**
	 * @return requests a batch made, by row, at most limit
	 */
	List<Batch.Row> rows(String batchId, int limit) {
		return this.jdbc.query("select batch_id, row_no, request_id from batch_row where batch_id = ? order by row_no",
				(rs) -> {
					List<Batch.Row> rows = new java.util.ArrayList<>();
					while (rows.size() < limit && rs.next()) {
						rows.add(new Batch.Row(rs.getString(1), rs.getInt(2), rs.getString(3)));
					}
					return rows;
				}, batchId);
	}

	private static String cut(String text, int length) {
		return (text != null && text.length() > length) ? text.substring(0, length) : text;
	}

	private static Batch batch(ResultSet rs, int i) throws SQLException {
		Timestamp finished = rs.getTimestamp(15);
		return new Batch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
				rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getInt(9), rs.getInt(10),
				rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getLong(14),
				(finished != null) ? finished.toInstant() : null);
	}

}
