package org.certflow.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.certflow.it.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The officers' digest: one mail per officer when new work reached the queue, at most one
 * per interval however many tasks arrive, none without new work, none twice when two
 * nodes run at once, and only counts and a Tasklist link in it.
 */
class OfficerDigestTest extends IntegrationTest {

	private static final String QUEUE = "validation-officers";

	@Autowired
	private OfficerDigest digest;

	@Autowired
	private IdentityService identity;

	private final List<String> users = new ArrayList<>();

	@BeforeEach
	void startFresh() {
		this.jdbc.update("delete from officer_digest");
	}

	@AfterEach
	void removeUsers() {
		this.users.forEach(this.identity::deleteUser);
	}

	@Test
	void newWorkIsAnnouncedOncePerIntervalToEachOfficerWithAMailbox() {
		String officer = officer(true);
		String silent = officer(false);
		String applicant = newMailbox();
		submittedRequest(applicant);
		submittedRequest(newMailbox());

		int mailed = this.digest.send(QUEUE);

		assertThat(mailed).as("officers with a mailbox").isGreaterThanOrEqualTo(1);
		String text = awaitMail(officer, "wait for you");
		assertThat(text).contains("/camunda/app/tasklist/default/")
			.contains(QUEUE)
			.containsPattern("\\d+ new certificate request\\(s\\)")
			.doesNotContain(applicant)
			.doesNotContain("Ada Applicant");
		assertThat(delivered(officer)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from mail_outbox where kind = 'OFFICER_DIGEST' and recipient like ?", Integer.class,
				silent + "%"))
			.as("an officer without a mailbox gets nothing")
			.isZero();

		// More work within the interval: no second mail.
		submittedRequest(newMailbox());
		assertThat(this.digest.send(QUEUE)).isZero();
		pauseForDelivery();
		assertThat(delivered(officer)).isEqualTo(1);

		// The interval has run and new work arrived: the next digest.
		this.jdbc.update("update officer_digest set last_sent_at = ? where queue_group = ?",
				java.sql.Timestamp.from(Instant.now().minus(Duration.ofHours(1))), QUEUE);
		assertThat(this.digest.send(QUEUE)).isGreaterThanOrEqualTo(1);
		awaitDelivered(officer, 2);
	}

	@Test
	void noMailWithoutNewWorkEvenAfterTheInterval() {
		String officer = officer(true);
		submittedRequest(newMailbox());
		assertThat(this.digest.send(QUEUE)).isGreaterThanOrEqualTo(1);
		awaitDelivered(officer, 1);

		// Everything open was announced; the interval has run; nothing new arrived.
		this.jdbc.update("update officer_digest set last_sent_at = ?, announced_until = ? where queue_group = ?",
				java.sql.Timestamp.from(Instant.now().minus(Duration.ofHours(1))),
				java.sql.Timestamp.from(Instant.now()), QUEUE);
		assertThat(this.digest.send(QUEUE)).isZero();
		pauseForDelivery();
		assertThat(delivered(officer)).isEqualTo(1);
	}

	@Test
	void twoNodesRunningAtOnceSendOneDigest() throws Exception {
		String officer = officer(true);
		submittedRequest(newMailbox());
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Integer>> runs = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				runs.add(() -> this.digest.send(QUEUE));
			}
			int sending = 0;
			for (Future<Integer> run : pool.invokeAll(runs)) {
				if (run.get() > 0) {
					sending++;
				}
			}
			assertThat(sending).as("runs that queued a digest").isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		awaitDelivered(officer, 1);
		pauseForDelivery();
		assertThat(delivered(officer)).isEqualTo(1);
	}

	/**
	 * A new member of the queue's group, with or without a mailbox; returns its address.
	 */
	private String officer(boolean withMailbox) {
		String id = "digest-" + UUID.randomUUID().toString().substring(0, 8);
		User user = this.identity.newUser(id);
		user.setFirstName("Olga");
		user.setLastName("Officer");
		user.setPassword(UUID.randomUUID().toString());
		String address = id + "@officers.example";
		if (withMailbox) {
			user.setEmail(address);
		}
		this.identity.saveUser(user);
		this.identity.createMembership(id, QUEUE);
		this.users.add(id);
		return address;
	}

	private long delivered(String address) {
		return java.util.Arrays.stream(this.greenMail.getReceivedMessages()).filter((message) -> {
			try {
				return address.equals(((MimeMessage) message).getAllRecipients()[0].toString());
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).count();
	}

	private void awaitDelivered(String address, long count) {
		Instant until = Instant.now().plusSeconds(20);
		while (delivered(address) < count && Instant.now().isBefore(until)) {
			pause();
		}
		assertThat(delivered(address)).isEqualTo(count);
	}

	/** Long enough for the outbox to have sent anything queued. */
	private static void pauseForDelivery() {
		try {
			Thread.sleep(1500);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
