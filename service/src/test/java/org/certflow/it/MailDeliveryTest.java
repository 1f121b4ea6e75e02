package org.certflow.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.certflow.delivery.MailDispatcher;
import org.certflow.request.CloseRequest;
import org.certflow.request.SendInvitation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mail goes out only after the transaction that makes its link valid has committed, lives
 * through SMTP outages without anybody acting, is sent once, and a mail that finally
 * fails is shown to RA admins, who can send it again. SMTP outages are real ones: the
 * embedded server's sender is pointed at a closed port, so every connection is refused.
 */
class MailDeliveryTest extends IntegrationTest {

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private JavaMailSenderImpl mailSender;

	@Autowired
	private MailDispatcher dispatcher;

	@Autowired
	private SendInvitation sendInvitation;

	@Autowired
	private CloseRequest closeRequest;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@AfterEach
	void smtpBackUp() {
		smtpUp();
	}

	@Test
	void invitationLinkWorksTheInstantItsMailArrives() {
		for (int i = 0; i < 20; i++) {
			String mailbox = newMailbox();
			invite(mailbox);
			MimeMessage mail = awaitFirstMessage(mailbox);
			// No pause: the applicant clicks as the mail lands.
			String token = find(TOKEN, text(mail));
			HttpResponse<String> page = get("/apply?token=" + token, null);
			assertThat(page.statusCode()).as("application page for invitation %d", i).isEqualTo(200);
		}
	}

	@Test
	void mailIsNotHandedToSmtpBeforeItsTransactionCommits() throws Exception {
		String mailbox = newMailbox();
		String requestId = invite(mailbox);
		String firstToken = find(TOKEN, text(awaitFirstMessage(mailbox)));

		// A resent invitation, in a transaction that is slow to commit.
		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
			this.sendInvitation.send(requestId);
			sleep(Duration.ofSeconds(1));
			assertThat(messagesTo(mailbox)).as("mails before commit").hasSize(1);
		});
		await("the resent invitation", () -> messagesTo(mailbox).size() == 2);
		String newestToken = find(TOKEN, text(messagesTo(mailbox).get(1)));
		assertThat(get("/apply?token=" + newestToken, null).statusCode()).isEqualTo(200);
		// One working link: the newest.
		assertThat(get("/apply?token=" + firstToken, null).statusCode()).isEqualTo(404);
		await("both mails recorded as sent",
				() -> count(
						"select count(*) from mail_outbox where request_id = ? and status = 'SENT' and body is null",
						requestId) == 2);
	}

	@Test
	void resentInvitationReplacesTheUnsentOneSoOnlyTheWorkingLinkIsMailed() {
		smtpDown();
		String mailbox = newMailbox();
		String requestId = invite(mailbox);
		await("the first invitation attempted",
				() -> count("select count(*) from mail_outbox where request_id = ? and attempts >= 1", requestId) == 1);
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> this.sendInvitation.send(requestId));
		assertThat(count(
				"select count(*) from mail_outbox where request_id = ? and status = 'SUPERSEDED' " + "and body is null",
				requestId))
			.isEqualTo(1);
		smtpUp();
		MimeMessage mail = awaitFirstMessage(mailbox);
		assertThat(get("/apply?token=" + find(TOKEN, text(mail)), null).statusCode()).isEqualTo(200);
		sleep(Duration.ofSeconds(2));
		assertThat(messagesTo(mailbox)).as("invitations delivered").hasSize(1);
	}

	@Test
	void invitationStillUnsentWhenItExpiresIsNeverSent() throws MessagingException {
		smtpDown();
		String mailbox = newMailbox();
		String requestId = invite(mailbox);
		await("the invitation attempted",
				() -> count("select count(*) from mail_outbox where request_id = ? and attempts >= 1", requestId) == 1);
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> this.closeRequest.expire(requestId));
		assertThat(count("select count(*) from mail_outbox where request_id = ? and kind = 'INVITATION' "
				+ "and status = 'SUPERSEDED' and body is null", requestId))
			.isEqualTo(1);
		smtpUp();
		MimeMessage mail = awaitFirstMessage(mailbox);
		assertThat(mail.getSubject()).contains("expired");
		sleep(Duration.ofSeconds(1));
		assertThat(messagesTo(mailbox)).hasSize(1);
	}

	@Test
	void longSmtpOutageLosesNoMailAndNeedsNobody() {
		smtpDown();
		List<String> mailboxes = new ArrayList<>();
		List<String> requests = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String mailbox = newMailbox();
			mailboxes.add(mailbox);
			requests.add(invite(mailbox));
		}
		// Several failed attempts each (back-off is short in this suite; the production
		// schedule is checked in MailDeliverySettingsTest).
		await("every invitation tried at least 4 times", () -> requests.stream()
			.allMatch((id) -> count("select count(*) from mail_outbox where request_id = ? and status = 'PENDING' "
					+ "and attempts >= 4", id) == 1));
		for (String requestId : requests) {
			assertThat(count("select count(*) from mail_outbox where request_id = ? and status = 'PENDING' "
					+ "and body like 'gcm1:%' and body not like '%token=%'", requestId))
				.as("the unsent mail of request %s is stored sealed, without its link", requestId)
				.isEqualTo(1);
			assertThat(count("select count(*) from ACT_RU_INCIDENT i join ACT_RU_EXECUTION e "
					+ "on e.ID_ = i.PROC_INST_ID_ where e.BUSINESS_KEY_ = ?", requestId))
				.as("incidents of request %s", requestId)
				.isZero();
			assertThat(count("select count(*) from ACT_RU_JOB j join ACT_RU_EXECUTION e "
					+ "on e.ID_ = j.PROCESS_INSTANCE_ID_ where e.BUSINESS_KEY_ = ? and j.EXCEPTION_MSG_ is not null",
					requestId))
				.as("failed jobs of request %s", requestId)
				.isZero();
		}
		smtpUp();
		for (String mailbox : mailboxes) {
			awaitFirstMessage(mailbox);
		}
		sleep(Duration.ofSeconds(2));
		for (int i = 0; i < mailboxes.size(); i++) {
			assertThat(messagesTo(mailboxes.get(i))).as("mails to %s", mailboxes.get(i)).hasSize(1);
			assertThat(count(
					"select count(*) from mail_outbox where request_id = ? and status = 'SENT' " + "and body is null",
					requests.get(i)))
				.isEqualTo(1);
			assertThat(get("/apply?token=" + find(TOKEN, text(messagesTo(mailboxes.get(i)).get(0))), null).statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void twoDispatchersRacingSendEachMailOnce() throws Exception {
		smtpDown();
		List<String> mailboxes = new ArrayList<>();
		List<String> requests = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String mailbox = newMailbox();
			mailboxes.add(mailbox);
			requests.add(invite(mailbox));
		}
		await("every invitation tried", () -> requests.stream()
			.allMatch(
					(id) -> count("select count(*) from mail_outbox where request_id = ? and attempts >= 1", id) == 1));
		String in = "('" + String.join("','", requests) + "')";
		// Parked, so that the background sweep leaves them to the two racers below.
		this.jdbc.update("update mail_outbox set next_attempt_at = ? where request_id in " + in,
				Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
		sleep(Duration.ofMillis(1500));
		smtpUp();
		this.jdbc.update("update mail_outbox set next_attempt_at = ? where request_id in " + in,
				Timestamp.from(Instant.now().minusSeconds(1)));
		CyclicBarrier start = new CyclicBarrier(2);
		Callable<Integer> racer = () -> {
			start.await();
			return this.dispatcher.sendDue();
		};
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<Integer> first = threads.submit(racer);
			Future<Integer> second = threads.submit(racer);
			int sent = first.get() + second.get();
			assertThat(sent).as("mails the two racers sent").isLessThanOrEqualTo(requests.size());
		}
		finally {
			threads.shutdown();
		}
		for (String mailbox : mailboxes) {
			awaitFirstMessage(mailbox);
		}
		sleep(Duration.ofSeconds(2));
		for (String mailbox : mailboxes) {
			assertThat(messagesTo(mailbox)).as("mails to %s", mailbox).hasSize(1);
		}
	}

	@Test
	void mailClaimedByANodeThatDiedIsSentOnceItsClaimExpires() {
		smtpDown();
		String mailbox = newMailbox();
		String requestId = invite(mailbox);
		await("the invitation attempted",
				() -> count("select count(*) from mail_outbox where request_id = ? and attempts >= 1", requestId) == 1);
		// Another node claimed it for an hour and died with the mail in hand.
		this.jdbc.update(
				"update mail_outbox set claimed_by = 'node-that-died', claimed_until = ?, next_attempt_at = ? "
						+ "where request_id = ?",
				Timestamp.from(Instant.now().plus(Duration.ofHours(1))), Timestamp.from(Instant.now().minusSeconds(1)),
				requestId);
		smtpUp();
		sleep(Duration.ofMillis(1500));
		assertThat(messagesTo(mailbox)).as("mails while another node holds the claim").isEmpty();
		this.jdbc.update("update mail_outbox set claimed_until = ? where request_id = ?",
				Timestamp.from(Instant.now().minusSeconds(1)), requestId);
		awaitFirstMessage(mailbox);
		sleep(Duration.ofSeconds(1));
		assertThat(messagesTo(mailbox)).hasSize(1);
	}

	@Test
	void mailThatExhaustsItsRetriesIsFailedListedAndCanBeRetried() throws Exception {
		smtpDown();
		String mailbox = newMailbox();
		String requestId = invite(mailbox);
		await("the invitation attempted",
				() -> count("select count(*) from mail_outbox where request_id = ? and attempts >= 1", requestId) == 1);
		// Three days pass: the give-up age of the defaults.
		this.jdbc.update("update mail_outbox set pending_since = ? where request_id = ?",
				Timestamp.from(Instant.now().minus(Duration.ofDays(4))), requestId);
		await("the invitation FAILED",
				() -> count("select count(*) from mail_outbox where request_id = ? and status = 'FAILED'",
						requestId) == 1);
		String mailId = this.jdbc.queryForObject("select mail_id from mail_outbox where request_id = ?", String.class,
				requestId);

		HttpResponse<String> failed = get("/api/v1/mail?status=FAILED&size=100", ADMIN);
		assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
		JsonNode listed = null;
		for (JsonNode mail : body(failed).get("mails")) {
			if (mail.get("mailId").asText().equals(mailId)) {
				listed = mail;
			}
		}
		assertThat(listed).as("failed mail in " + failed.body()).isNotNull();
		assertThat(listed.get("recipient").asText()).isEqualTo(mailbox);
		assertThat(listed.get("kind").asText()).isEqualTo("INVITATION");
		assertThat(listed.get("requestId").asText()).isEqualTo(requestId);
		assertThat(listed.get("status").asText()).isEqualTo("FAILED");
		assertThat(listed.get("attempts").asInt()).isPositive();
		assertThat(listed.get("lastError").asText()).isNotBlank();
		assertThat(listed.get("failedAt").isNull()).isFalse();
		assertThat(listed.has("body")).isFalse();
		assertThat(failed.body()).doesNotContain("token=").doesNotContain("/apply");
		assertThat(body(get("/api/v1/mail?status=failed", ADMIN)).get("total").asLong()).isPositive();

		// Still FAILED while nobody acts, even with SMTP back.
		smtpUp();
		sleep(Duration.ofSeconds(1));
		assertThat(messagesTo(mailbox)).isEmpty();

		// Two admins press retry at once: one wins, the other is told it is pending.
		List<Future<HttpResponse<String>>> presses = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			for (int i = 0; i < 4; i++) {
				presses.add(threads.submit(() -> retry(mailId, ADMIN)));
			}
			int accepted = 0;
			for (Future<HttpResponse<String>> press : presses) {
				HttpResponse<String> response = press.get();
				if (response.statusCode() == 202) {
					accepted++;
				}
				else {
					assertProblem(response, 409);
				}
			}
			assertThat(accepted).isEqualTo(1);
		}
		finally {
			threads.shutdown();
		}
		MimeMessage mail = awaitFirstMessage(mailbox);
		assertThat(get("/apply?token=" + find(TOKEN, text(mail)), null).statusCode()).isEqualTo(200);
		await("the retried mail SENT",
				() -> count("select count(*) from mail_outbox where mail_id = ? and status = 'SENT' and body is null",
						mailId) == 1);
		JsonNode again = assertProblem(retry(mailId, ADMIN), 409);
		assertThat(again.get("detail").asText()).contains("already sent");
		sleep(Duration.ofSeconds(1));
		assertThat(messagesTo(mailbox)).hasSize(1);
	}

	@Test
	void mailApiRefusesStrangersAndBadInput() {
		assertThat(get("/api/v1/mail?status=FAILED", null).statusCode()).isEqualTo(401);
		assertThat(get("/api/v1/mail?status=FAILED", OFFICER).statusCode()).isEqualTo(403);
		String unknown = UUID.randomUUID().toString();
		assertThat(retry(unknown, null).statusCode()).isEqualTo(401);
		assertThat(retry(unknown, OFFICER).statusCode()).isEqualTo(403);

		assertThat(assertProblem(retry(unknown, ADMIN), 404).get("detail").asText()).contains(unknown);
		assertThat(assertProblem(retry("not-a-mail", ADMIN), 400).get("detail").asText()).contains("UUID");
		assertThat(assertProblem(get("/api/v1/mail?status=LOST", ADMIN), 400).get("detail").asText())
			.contains("FAILED");
		assertProblem(get("/api/v1/mail?page=-1", ADMIN), 400);
		assertProblem(get("/api/v1/mail?size=0", ADMIN), 400);
		assertProblem(get("/api/v1/mail?size=101", ADMIN), 400);
		assertThat(assertProblem(get("/api/v1/mail?page=abc", ADMIN), 400).get("detail").asText()).contains("page");
		HttpResponse<String> all = get("/api/v1/mail?size=5", ADMIN);
		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		assertThat(body(all).get("size").asInt()).isEqualTo(5);
	}

	// --- helpers
	// ---------------------------------------------------------------------------------

	private HttpResponse<String> retry(String mailId, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/v1/mail/" + mailId + "/retry"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody());
		return send(authenticated(request, user));
	}

	private JsonNode assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		JsonNode problem = body(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asText()).isNotBlank();
		return problem;
	}

	private void smtpDown() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			// Closed again at once: connections to it are refused, as by a server that is
			// down.
			this.mailSender.setPort(socket.getLocalPort());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void smtpUp() {
		this.mailSender.setPort(this.greenMail.getSmtp().getPort());
	}

	private int count(String sql, Object... arguments) {
		Integer count = this.jdbc.queryForObject(sql, Integer.class, arguments);
		return (count != null) ? count : 0;
	}

	private List<MimeMessage> messagesTo(String mailbox) {
		List<MimeMessage> found = new ArrayList<>();
		for (MimeMessage message : this.greenMail.getReceivedMessages()) {
			try {
				Address[] recipients = message.getAllRecipients();
				if (recipients != null && Arrays.stream(recipients).anyMatch((a) -> a.toString().equals(mailbox))) {
					found.add(message);
				}
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return found;
	}

	private MimeMessage awaitFirstMessage(String mailbox) {
		Instant until = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(until)) {
			List<MimeMessage> messages = messagesTo(mailbox);
			if (!messages.isEmpty()) {
				return messages.get(0);
			}
			sleep(Duration.ofMillis(5));
		}
		throw new AssertionError("No mail reached " + mailbox);
	}

	private static String text(MimeMessage message) {
		try {
			return message.getContent().toString();
		}
		catch (MessagingException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void await(String what, BooleanSupplier condition) {
		Instant until = Instant.now().plus(WAIT);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(until)) {
				fail("Timed out waiting for " + what);
			}
			sleep(Duration.ofMillis(50));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
