package org.certflow.request;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: issuance runs. A run releases the approved requests of the classes that issue
 * in batches (the seed's "batch processes according to schedules set in crontab"):
 * <ol>
 * <li>{@link #request} records that an RA admin asked for a run now (the schedule skips
 * this step);</li>
 * <li>{@link #open} claims, in one statement, every approved request of such a class that
 * no run has claimed: a request approved after that statement waits for the next run, and
 * two runs that overlap never claim the same request;</li>
 * <li>{@link #releaseChunk} sends the claimed requests on to signing, a chunk per
 * transaction, until {@link #moreToRelease} says none is left.</li>
 * </ol>
 */
@Service("issuanceRuns")
@RetriedOnLockConflict
public class IssuanceRuns {

	private static final Logger log = LoggerFactory.getLogger(IssuanceRuns.class);

	/** Who started a run the schedule started. */
	public static final String SCHEDULE = "schedule";

	private static final String CLAIM = "update certificate_request set issuance_run_id = ?, updated_at = ? "
			+ "where status = 'APPROVED' and issuance_run_id is null and certificate_serial is null "
			+ "and coalesce(class_issue_immediately, (select c.issue_immediately from certificate_class c "
			+ "where c.name = certificate_request.certificate_class)) = false";

	private final JdbcTemplate jdbc;

	private final RequestWorkflow workflow;

	private final RequestEvents events;

	private final Clock clock;

	private final int chunkSize;

	IssuanceRuns(JdbcTemplate jdbc, RequestWorkflow workflow, RequestEvents events, Clock clock,
			@Value("${certflow.issuance.release-chunk:250}") int chunkSize) {
		this.jdbc = jdbc;
		this.workflow = workflow;
		this.events = events;
		this.clock = clock;
		this.chunkSize = chunkSize;
	}

	/**
	 * An RA admin asks for a run now. The run is stored and started in this transaction,
	 * so an answer means it will happen.
	 * @param admin who asked
	 * @return the run id
	 */
	@Transactional
	public String request(String admin) {
		String runId = "RUN-" + UUID.randomUUID();
		this.jdbc.update("insert into issuance_run (run_id, started_by, requested_at) values (?, ?, ?)", runId, admin,
				Timestamp.from(this.clock.instant()));
		this.workflow.issuanceRunRequested(runId);
		log.info("Issuance run {} requested by {}", runId, admin);
		return runId;
	}

	/**
	 * Opens a run: claims what it will release.
	 * @param runId the run id, or {@code null} for a run the schedule started
	 * @return the run id
	 */
	@Transactional
	public String open(String runId) {
		Instant now = this.clock.instant();
		String id = runId;
		if (id == null) {
			id = "RUN-" + UUID.randomUUID();
			this.jdbc.update("insert into issuance_run (run_id, started_by, requested_at) values (?, ?, ?)", id,
					SCHEDULE, Timestamp.from(now));
		}
		int claimed = this.jdbc.update(CLAIM, id, Timestamp.from(now));
		int opened = this.jdbc.update(
				"update issuance_run set opened_at = ?, claimed = ? where run_id = ? and opened_at is null",
				Timestamp.from(now), claimed, id);
		if (opened != 1) {
			throw new IllegalStateException("issuance run " + id + " is unknown or already open");
		}
		log.info("Issuance run {} claimed {} approved requests", id, claimed);
		return id;
	}

	/**
	 * Releases the next chunk of the run's claimed requests to signing.
	 * @param runId the run
	 * @return how many were released in this chunk
	 */
	@Transactional
	public int releaseChunk(String runId) {
		List<String> chunk = this.jdbc.queryForList(
				"select request_id from certificate_request where issuance_run_id = ? and released_at is null "
						+ "order by request_id fetch first " + this.chunkSize + " rows only",
				String.class, runId);
		Instant now = this.clock.instant();
		int released = 0;
		int failed = 0;
		for (String requestId : chunk) {
			this.jdbc.update("update certificate_request set released_at = ? where request_id = ?", Timestamp.from(now),
					requestId);
			if (this.workflow.issuanceReleased(requestId)) {
				this.events.record(requestId, RequestEventKind.RELEASED, RequestEvents.SYSTEM,
						"Released to signing by issuance run " + runId + ".");
				released++;
			}
			else {
				// Its process no longer waits for a release (cancelled meanwhile):
				// counted,
				// never retried by this run.
				failed++;
				log.warn("Issuance run {}: request {} no longer waits for a release", runId, requestId);
			}
		}
		if (failed > 0) {
			this.jdbc.update("update issuance_run set release_failed = release_failed + ? where run_id = ?", failed,
					runId);
		}
		if (!moreToRelease(runId)) {
			this.jdbc.update("update issuance_run set finished_at = ? where run_id = ? and finished_at is null",
					Timestamp.from(now), runId);
		}
		return released;
	}

	/**
	 * @param runId the run
	 * @return whether claimed requests wait for a later chunk
	 */
	@Transactional(readOnly = true)
	public boolean moreToRelease(String runId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"select count(*) > 0 from certificate_request where issuance_run_id = ? and released_at is null",
				Boolean.class, runId));
	}

	/**
	 * @param runId the run
	 * @return how far the run has come
	 */
	@Transactional(readOnly = true)
	public Optional<Progress> progress(String runId) {
		List<Progress> runs = this.jdbc.query(
				"select r.run_id, r.started_by, r.requested_at, r.opened_at, "
						+ "r.finished_at, r.claimed, r.release_failed, "
						+ "(select count(*) from certificate_request q where q.issuance_run_id = r.run_id "
						+ "and q.released_at is not null), "
						+ "(select count(*) from certificate_request q where q.issuance_run_id = r.run_id "
						+ "and q.certificate_serial is not null), "
						+ "(select count(*) from certificate_request q where q.issuance_run_id = r.run_id "
						+ "and q.status in ('REJECTED', 'CANCELLED')) " + "from issuance_run r where r.run_id = ?",
				(rs, row) -> progress(rs), runId);
		return runs.stream().findFirst();
	}

	/**
	 * @param limit how many
	 * @return the newest runs first
	 */
	@Transactional(readOnly = true)
	public List<Progress> recent(int limit) {
		List<String> ids = this.jdbc.queryForList(
				"select run_id from issuance_run order by requested_at desc fetch first " + limit + " rows only",
				String.class);
		return ids.stream().map(this::progress).flatMap(Optional::stream).toList();
	}

	private static Progress progress(java.sql.ResultSet rs) throws java.sql.SQLException {
		int claimed = rs.getInt(6);
		int releaseFailed = rs.getInt(7);
		int released = rs.getInt(8) - releaseFailed;
		return new Progress(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
				instant(rs.getTimestamp(5)), claimed, released, rs.getInt(9), releaseFailed + rs.getInt(10));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * How far a run has come.
	 *
	 * @param runId the run id
	 * @param startedBy the RA admin who asked, or {@value #SCHEDULE}
	 * @param requestedAt when it was asked for
	 * @param openedAt when it claimed its requests; null until then
	 * @param finishedAt when the last chunk was released; null until then
	 * @param claimed how many approved requests it claimed
	 * @param released how many it has sent on to signing
	 * @param issued how many of those have a certificate
	 * @param failed how many could not be released or were refused by the CA or cancelled
	 */
	public record Progress(String runId, String startedBy, Instant requestedAt, Instant openedAt, Instant finishedAt,
			int claimed, int released, int issued, int failed) {
	}

}
