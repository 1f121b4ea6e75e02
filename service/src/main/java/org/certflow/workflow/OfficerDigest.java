package org.certflow.workflow;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.certflow.CertFlowProperties;
import org.certflow.delivery.OfficerMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells officers that new work reached their queue: one mail per officer and queue, at
 * most once per {@code certflow.officers.digest.interval}, never one per task. A queue is
 * a candidate group (validation-officers by default); every member with a mail address
 * gets the digest, with a link into Tasklist and counts only, no applicant data.
 *
 * <p>
 * Each run locks the queue's row in {@code officer_digest}, so two nodes never send the
 * same digest, and queues the mails through the outbox in the same transaction that moves
 * the queue's watermark: the digest is sent, retried through SMTP outages, or visible as
 * FAILED to RA admins, exactly like mail to applicants.
 */
@Component
class OfficerDigest {

	private static final Logger log = LoggerFactory.getLogger(OfficerDigest.class);

	/**
	 * A task's creation time is taken before its transaction commits. The watermark stays
	 * this far behind the clock so that a task created just before a run, but committed
	 * just after it, is still announced by the next digest.
	 */
	static final Duration COMMIT_MARGIN = Duration.ofSeconds(10);

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final OfficerDigestSettings settings;

	private final TaskService tasks;

	private final IdentityService identity;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final OfficerMail mail;

	private final String tasklist;

	private final Clock clock;

	OfficerDigest(OfficerDigestSettings settings, TaskService tasks, IdentityService identity, JdbcTemplate jdbc,
			TransactionTemplate transactions, OfficerMail mail, CertFlowProperties properties, Clock clock) {
		this.settings = settings;
		this.tasks = tasks;
		this.identity = identity;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.mail = mail;
		this.tasklist = properties.publicBaseUrl().resolve("/camunda/app/tasklist/default/").toString();
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${certflow.officers.digest.check-interval}",
			fixedDelayString = "${certflow.officers.digest.check-interval}")
	void sendDue() {
		if (!this.settings.enabled()) {
			return;
		}
		for (String group : this.settings.groups()) {
			try {
				int sent = send(group);
				if (sent > 0) {
					log.info("Officer digest for queue {} queued to {} officer(s)", group, sent);
				}
			}
			catch (RuntimeException ex) {
				// The next run tries again; nothing was queued or moved.
				log.warn("Officer digest for queue {} failed: {}", group, ex.toString());
			}
		}
	}

	/**
	 * Queues a digest for one queue when its interval has run and new tasks arrived.
	 * @param group the candidate group
	 * @return how many officers were mailed
	 */
	int send(String group) {
		createQueueRow(group);
		Integer sent = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Watermark mark = this.jdbc.queryForObject(
					"select last_sent_at, announced_until from officer_digest where queue_group = ? for update",
					(rs, row) -> new Watermark(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()), group);
			if (mark.lastSentAt().plus(this.settings.interval()).isAfter(now)) {
				return 0;
			}
			long fresh = queue(group).taskCreatedAfter(Date.from(mark.announcedUntil())).count();
			if (fresh == 0) {
				return 0;
			}
			Task newest = queue(group).orderByTaskCreateTime().desc().listPage(0, 1).get(0);
			Task oldest = queue(group).orderByTaskCreateTime().asc().listPage(0, 1).get(0);
			long open = queue(group).count();
			List<User> officers = this.identity.createUserQuery().memberOfGroup(group).list();
			int mailed = 0;
			for (User officer : officers) {
				if (officer.getEmail() == null || officer.getEmail().isBlank()) {
					continue;
				}
				this.mail.sendOfficerDigest(officer.getEmail(),
						Map.of("name", displayName(officer), "group", group, "newTasks", fresh, "openTasks", open,
								"oldestSince", WHEN.format(oldest.getCreateTime().toInstant()), "tasklist",
								this.tasklist, "interval", describe(this.settings.interval())));
				mailed++;
			}
			Instant announced = newest.getCreateTime().toInstant();
			Instant margin = now.minus(COMMIT_MARGIN);
			this.jdbc.update("update officer_digest set last_sent_at = ?, announced_until = ? where queue_group = ?",
					Timestamp.from(now), Timestamp.from(announced.isBefore(margin) ? announced : margin), group);
			return mailed;
		});
		return (sent != null) ? sent : 0;
	}

	private TaskQuery queue(String group) {
		return this.tasks.createTaskQuery().taskCandidateGroup(group).includeAssignedTasks().active();
	}

	/** The first run for a queue announces every task open at that moment. */
	private void createQueueRow(String group) {
		boolean exists = this.jdbc.queryForObject("select count(*) from officer_digest where queue_group = ?",
				Integer.class, group) > 0;
		if (!exists) {
			try {
				this.jdbc.update(
						"insert into officer_digest (queue_group, last_sent_at, announced_until) values (?, ?, ?)",
						group, Timestamp.from(Instant.EPOCH.plusSeconds(86_400)),
						Timestamp.from(Instant.EPOCH.plusSeconds(86_400)));
			}
			catch (DuplicateKeyException ex) {
				// Another node created it at the same moment.
			}
		}
	}

	private static String displayName(User user) {
		String name = ((user.getFirstName() != null) ? user.getFirstName() : "") + " "
				+ ((user.getLastName() != null) ? user.getLastName() : "");
		return name.isBlank() ? user.getId() : name.trim();
	}

	static String describe(Duration interval) {
		if (interval.toHours() > 0 && interval.toMinutesPart() == 0 && interval.toSecondsPart() == 0) {
			return interval.toHours() + (interval.toHours() == 1 ? " hour" : " hours");
		}
		if (interval.toMinutes() > 0 && interval.toSecondsPart() == 0) {
			return interval.toMinutes() + (interval.toMinutes() == 1 ? " minute" : " minutes");
		}
		return interval.toSeconds() + " seconds";
	}

	private record Watermark(Instant lastSentAt, Instant announcedUntil) {
	}

}
