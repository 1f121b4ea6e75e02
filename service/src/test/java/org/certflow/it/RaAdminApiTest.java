package org.certflow.it;

import java.util.concurrent.CompletableFuture;

import java.sql.SQLException;

import java.sql.PreparedStatement;

import java.sql.Connection;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.certflow.security.Secrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA admin's API on requests: finding them, their timeline, sending the invitation
 * again, a new activation code after a lock, cancelling, and requests entered on a user's
 * behalf. Each with good input, wrong input, wrong states, wrong roles and concurrent
 * duplicates.
 */
class RaAdminApiTest extends IntegrationTest {

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private static final Pattern CODE = Pattern.compile("[?&]code=([A-Za-z0-9_-]+)");

	private static final Pattern PIN = Pattern.compile("PIN: (\\d+)");

	// --- list

	@Test
	void findsRequestsByMailboxNameStatusClassAndDate() {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String first = "Searched-" + tag + "@Example.org";
		String second = "searched-" + tag + "-2@example.org";
		String firstId = inviteNamed(first, "Grace " + tag + " Hopper", "standard");
		String secondId = inviteNamed(second, "Alan " + tag + " Turing", "auto-domain");

		// A whole mailbox matches exactly, its domain in any case.
		JsonNode byMailbox = list("email=Searched-" + tag + "@EXAMPLE.ORG");
		assertThat(ids(byMailbox)).containsExactly(firstId);
		// Part of a mailbox, any case; newest first (MariaDB keeps whole seconds, so two
		// requests of one second come in id order).
		JsonNode byPart = list("email=SEARCHED-" + tag);
		assertThat(ids(byPart)).containsExactlyInAnyOrder(secondId, firstId);
		assertThat(byPart.get("items").get(0).get("createdAt").asText())
			.satisfies((newest) -> assertThat(java.time.Instant.parse(newest))
				.isAfterOrEqualTo(java.time.Instant.parse(byPart.get("items").get(1).get("createdAt").asText())));
		assertThat(byPart.get("total").asLong()).isEqualTo(2);
		assertThat(ids(list("name=" + tag + "%20hop"))).containsExactly(firstId);
		assertThat(ids(list("name=" + tag + "&class=auto-domain"))).containsExactly(secondId);
		assertThat(ids(list("name=" + tag + "&status=INVITED,SUBMITTED")))
			.containsExactly(ids(byPart).toArray(String[]::new));
		assertThat(ids(list("name=" + tag + "&status=collected"))).isEmpty();
		String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
		assertThat(ids(list("name=" + tag + "&from=" + today + "&to=" + today))).hasSize(2);
		assertThat(ids(list("name=" + tag + "&to=2020-01-01"))).isEmpty();
		// LIKE wildcards in a search are plain characters.
		assertThat(ids(list("name=%25"))).doesNotContain(firstId);

		JsonNode page = list("name=" + tag + "&size=1&page=1");
		assertThat(page.get("total").asLong()).isEqualTo(2);
		assertThat(page.get("page").asInt()).isEqualTo(1);
		assertThat(page.get("size").asInt()).isEqualTo(1);
		assertThat(ids(page)).containsExactly(ids(byPart).get(1));
		assertThat(ids(list("name=" + tag + "&size=1&page=0"))).containsExactly(ids(byPart).get(0));
		assertThat(list("email=Searched-" + tag + "@example.org").get("items").get(0).get("email").asText())
			.isEqualTo("Searched-" + tag + "@example.org");
	}

	@Test
	void findsARequestByTheSerialOfItsCertificate() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String serial = request(requestId).get("certificateSerial").asText();
		assertThat(ids(list("serial=" + serial.toUpperCase()))).containsExactly(requestId);
	}

	@Test
	void refusesBadSearchParametersWithAMessage() {
		Map<String, String> cases = new HashMap<>();
		cases.put("status=BOGUS", "Unknown status 'BOGUS'");
		cases.put("size=0", "size must be a whole number from 1 to 100");
		cases.put("size=1000", "size must be a whole number from 1 to 100");
		cases.put("page=-1", "page must be a whole number");
		cases.put("page=abc", "page must be a whole number");
		cases.put("from=yesterday", "from must be a date");
		cases.put("from=2026-12-02&to=2026-12-01", "must not be after to");
		cases.put("serial=xyz", "serial must be a certificate serial in hex");
		cases.put("name=" + "x".repeat(65), "name is longer than 64");
		cases.forEach((query, message) -> {
			HttpResponse<String> response = get("/api/v1/requests?" + query, ADMIN);
			assertThat(response.statusCode()).as(query).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(body(response).get("detail").asText()).as(query).contains(message);
		});
	}

	// --- detail and timeline

	@Test
	void detailShowsTheTimelineWithEventsMailsAndTheCertificateInTimeOrder() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		awaitMail(email, "ready");

		JsonNode detail = request(requestId);
		JsonNode certificate = detail.get("certificate");
		assertThat(certificate.get("serial").asText()).isEqualTo(detail.get("certificateSerial").asText());
		assertThat(certificate.get("notAfter").asText()).isNotBlank();
		List<String> kinds = new ArrayList<>();
		java.time.Instant previous = java.time.Instant.EPOCH;
		for (JsonNode entry : detail.get("timeline")) {
			kinds.add(entry.get("source").asText() + ":" + entry.get("kind").asText());
			java.time.Instant at = java.time.Instant.parse(entry.get("at").asText());
			assertThat(at).as("time order").isAfterOrEqualTo(previous);
			previous = at;
		}
		assertThat(kinds).containsSubsequence("event:INVITED", "mail:INVITATION", "event:SUBMITTED",
				"certificate:CERTIFICATE", "mail:ACTIVATION");
		assertThat(kinds).contains("event:ISSUED");
		JsonNode invited = find(detail, "event", "INVITED");
		assertThat(invited.get("actor").asText()).isEqualTo(ADMIN);
		assertThat(find(detail, "mail", "INVITATION").get("status").asText()).isEqualTo("SENT");
		// Mails are listed, never their text: no link, code or PIN leaves this way.
		assertThat(detail.toString()).doesNotContain("token=", "code=", "PIN");
	}

	@Test
	void unknownRequestIsNotFound() {
		HttpResponse<String> response = get("/api/v1/requests/" + UUID.randomUUID(), ADMIN);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(body(response).get("detail").asText()).contains("no certificate request");
	}

	// --- resend the invitation

	@Test
	void resentInvitationMailsANewLinkAndTheOldOneStopsWorking() {
		String email = newMailbox();
		String requestId = invite(email);
		String oldToken = invitationToken(email);

		HttpResponse<String> resent = postJson("/api/v1/requests/" + requestId + "/invitation", "", ADMIN);
		assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
		List<String> tokens = awaitTokens(email, "invitation", TOKEN, 2);
		String newToken = tokens.get(tokens.size() - 1);
		assertThat(newToken).isNotEqualTo(oldToken);

		String csr = csrPem(newEcKey("secp256r1"), "CN=x");
		assertThat(submit(oldToken, csr, email).statusCode()).isEqualTo(404);
		assertThat(submit(newToken, csr, email).statusCode()).isEqualTo(202);
		assertThat(find(request(requestId), "event", "INVITATION_RESENT").get("actor").asText()).isEqualTo(ADMIN);

		HttpResponse<String> late = postJson("/api/v1/requests/" + requestId + "/invitation", "", ADMIN);
		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(body(late).get("detail").asText()).contains("awaits its application");
		assertThat(postJson("/api/v1/requests/" + UUID.randomUUID() + "/invitation", "", ADMIN).statusCode())
			.isEqualTo(404);
	}

	/**
	 * On MariaDB a background step that first adds a row pointing at a request (a shared
	 * lock on the request, for the foreign key) and then updates the request deadlocks
	 * with an admin's action waiting to lock it; InnoDB rolls back the admin's action,
	 * which has written nothing. It is run again, so the admin sees the real answer
	 * rather than a 409 for a conflict they did not cause.
	 */
	@Test
	void anAdminActionThatLosesADeadlockToABackgroundStepIsRunAgain() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		invitationToken(email);
		CompletableFuture<HttpResponse<String>> resend;
		try (Connection background = this.jdbc.getDataSource().getConnection()) {
			background.setAutoCommit(false);
			try (PreparedStatement event = background
				.prepareStatement("insert into request_event (event_id, request_id, occurred_at, kind, actor, detail) "
						+ "values (?, ?, ?, 'ROUTED', 'system', 'a background step')")) {
				event.setString(1, UUID.randomUUID().toString());
				event.setString(2, requestId);
				event.setTimestamp(3, java.sql.Timestamp.from(java.time.Instant.now()));
				event.executeUpdate();
			}
			resend = CompletableFuture
				.supplyAsync(() -> postJson("/api/v1/requests/" + requestId + "/invitation", "", ADMIN));
			awaitLockWaitOrDone(resend);
			try (PreparedStatement touch = background
				.prepareStatement("update certificate_request set updated_at = updated_at where request_id = ?")) {
				touch.setString(1, requestId);
				touch.executeUpdate();
				background.commit();
			}
			catch (SQLException lost) {
				// Should InnoDB ever pick this side instead, the admin's action goes on.
				background.rollback();
			}
		}
		HttpResponse<String> response = resend.get(60, TimeUnit.SECONDS);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(awaitTokens(email, "invitation", TOKEN, 2)).hasSize(2);
	}

	/** Until the resend waits for a lock (MariaDB shows it; H2 has no such table). */
	private void awaitLockWaitOrDone(CompletableFuture<?> action) throws InterruptedException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!action.isDone() && System.nanoTime() < until) {
			Integer waits;
			try {
				waits = this.jdbc.queryForObject("select count(*) from information_schema.innodb_lock_waits",
						Integer.class);
			}
			catch (org.springframework.dao.DataAccessException notMariaDb) {
				return;
			}
			if (waits != null && waits > 0) {
				return;
			}
			Thread.sleep(20);
		}
	}

	@Test
	void twoResendsAtOnceLeaveExactlyOneWorkingLink() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		invitationToken(email);

		List<HttpResponse<String>> responses = atOnce(4,
				() -> postJson("/api/v1/requests/" + requestId + "/invitation", "", ADMIN));
		assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isIn(200, 409));
		long sent = responses.stream().filter((r) -> r.statusCode() == 200).count();
		awaitOutboxSettled(requestId);
		String stored = this.jdbc.queryForObject("select token_hash from invitation where request_id = ?", String.class,
				requestId);
		long until = System.currentTimeMillis() + 40_000;
		List<String> delivered = tokens(email, "invitation", TOKEN);
		while (delivered.stream().noneMatch((t) -> Secrets.hashToken(t).equals(stored))
				&& System.currentTimeMillis() < until) {
			pause();
			delivered = tokens(email, "invitation", TOKEN);
		}
		assertThat(delivered.stream().filter((t) -> Secrets.hashToken(t).equals(stored)))
			.as("exactly one mailed link works")
			.hasSize(1);
		assertThat(this.jdbc.queryForObject("select count(*) from request_event where request_id = ? and kind = ?",
				Long.class, requestId, "INVITATION_RESENT"))
			.isEqualTo(sent);
	}

	// --- new activation code

	@Test
	void newActivationCodeUnlocksACollectionLockedByWrongPins() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String[] first = activationFrom(awaitMail(email, "ready"));
		for (int attempt = 0; attempt < 5; attempt++) {
			activate(first[0], "00000000");
		}
		assertThat(activate(first[0], first[1]).statusCode()).as("locked").isEqualTo(423);

		HttpResponse<String> reissued = postJson("/api/v1/requests/" + requestId + "/activation", "", ADMIN);
		assertThat(reissued.statusCode()).as(reissued.body()).isEqualTo(200);
		assertThat(body(reissued).get("expiresAt").asText()).isNotBlank();
		List<String> codes = awaitTokens(email, "ready", CODE, 2);
		String newCode = codes.get(codes.size() - 1);
		String newPin = lastMatch(PIN, lastMail(email, "ready"));
		assertThat(newCode).isNotEqualTo(first[0]);

		assertThat(activate(first[0], first[1]).statusCode()).as("the old code stopped working").isEqualTo(404);
		HttpResponse<String> collected = activate(newCode, newPin);
		assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
		awaitStatus(requestId, "COLLECTED");
		JsonNode reissue = find(request(requestId), "event", "ACTIVATION_REISSUED");
		assertThat(reissue.get("detail").asText()).contains("after a lock");

		HttpResponse<String> late = postJson("/api/v1/requests/" + requestId + "/activation", "", ADMIN);
		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(body(late).get("detail").asText()).contains("awaits collection");
	}

	@Test
	void newActivationCodeMovesTheProcessExpiryToTheNewCodes() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		awaitMail(email, "ready");
		awaitTimer(requestId);
		HttpResponse<String> reissued = postJson("/api/v1/requests/" + requestId + "/activation", "", ADMIN);
		assertThat(reissued.statusCode()).as(reissued.body()).isEqualTo(200);
		java.sql.Timestamp due = this.jdbc.queryForObject(
				"select j.DUEDATE_ from ACT_RU_JOB j join ACT_RU_EXECUTION e "
						+ "on j.PROCESS_INSTANCE_ID_ = e.ID_ where e.BUSINESS_KEY_ = ? and j.TYPE_ = 'timer'",
				java.sql.Timestamp.class, requestId);
		java.sql.Timestamp expires = this.jdbc.queryForObject("select expires_at from activation where request_id = ?",
				java.sql.Timestamp.class, requestId);
		assertThat(due.toInstant()).isEqualTo(expires.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
	}

	@Test
	void newActivationCodeOnlyWhileTheCertificateAwaitsCollection() {
		String requestId = invite(newMailbox());
		HttpResponse<String> response = postJson("/api/v1/requests/" + requestId + "/activation", "", ADMIN);
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(body(response).get("detail").asText()).contains("INVITED");
		assertThat(postJson("/api/v1/requests/" + UUID.randomUUID() + "/activation", "", ADMIN).statusCode())
			.isEqualTo(404);
	}

	// --- cancellation

	@Test
	void cancellationEndsTheRequestItsProcessAndItsInvitation() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);

		HttpResponse<String> cancelled = cancel(requestId, "Applicant left the company.");
		assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
		assertThat(body(cancelled).get("status").asText()).isEqualTo("CANCELLED");

		assertThat(this.jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION where BUSINESS_KEY_ = ?",
				Integer.class, requestId))
			.as("no process left running")
			.isZero();
		// Cockpit shows where it ended and why.
		assertThat(this.jdbc.queryForObject("select END_ACT_ID_ from ACT_HI_PROCINST where BUSINESS_KEY_ = ?",
				String.class, requestId))
			.isEqualTo("SubProcess_Cancellation");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from ACT_HI_ACTINST a join ACT_HI_PROCINST p "
						+ "on a.PROC_INST_ID_ = p.ID_ where p.BUSINESS_KEY_ = ? and a.ACT_ID_ = ?",
				Integer.class, requestId, "EndEvent_RequestCancelled"))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select v.TEXT_ from ACT_HI_VARINST v join ACT_HI_PROCINST p "
						+ "on v.PROC_INST_ID_ = p.ID_ where p.BUSINESS_KEY_ = ? and v.NAME_ = ?",
				String.class, requestId, "cancellationReason"))
			.isEqualTo("Applicant left the company.");
		HttpResponse<String> submitted = submit(token, csrPem(newEcKey("secp256r1"), "CN=x"), email);
		assertThat(submitted.statusCode()).isEqualTo(410);
		assertThat(body(submitted).get("detail").asText()).contains("cancelled");
		JsonNode event = find(request(requestId), "event", "CANCELLED");
		assertThat(event.get("actor").asText()).isEqualTo(ADMIN);
		assertThat(event.get("detail").asText()).isEqualTo("Applicant left the company.");
		awaitMail(email, "cancelled");

		HttpResponse<String> again = cancel(requestId, "Twice.");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(body(again).get("detail").asText()).contains("already cancelled");
	}

	@Test
	void cancellingAnIssuedRequestRevokesItsUncollectedCertificate() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String[] activation = activationFrom(awaitMail(email, "ready"));
		String serial = request(requestId).get("certificateSerial").asText();

		HttpResponse<String> cancelled = cancel(requestId, "Issued to the wrong mailbox.");
		assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);

		JsonNode status = body(get("/api/v1/certificates/" + serial, ADMIN));
		assertThat(status.get("status").asText()).isEqualTo("REVOKED");
		assertThat(status.get("reason").asText()).isEqualTo("cessationOfOperation");
		assertThat(request(requestId).get("status").asText()).isEqualTo("CANCELLED");
		HttpResponse<String> collect = activate(activation[0], activation[1]);
		assertThat(collect.statusCode()).isEqualTo(410);
		assertThat(find(request(requestId), "event", "REVOKED").get("detail").asText())
			.contains("cessationOfOperation");
	}

	@Test
	void aCollectedRequestCannotBeCancelled() {
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String[] activation = activationFrom(awaitMail(email, "ready"));
		assertThat(activate(activation[0], activation[1]).statusCode()).isEqualTo(200);
		awaitStatus(requestId, "COLLECTED");

		HttpResponse<String> response = cancel(requestId, "Too late.");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(body(response).get("detail").asText()).contains("Revoke the certificate instead");
		assertThat(request(requestId).get("status").asText()).isEqualTo("COLLECTED");
	}

	@Test
	void cancellationRefusesWrongInput() {
		String requestId = invite(newMailbox());
		assertThat(cancel(requestId, null).statusCode()).isEqualTo(400);
		assertThat(body(cancel(requestId, " ")).get("detail").asText()).contains("reason is required");
		assertThat(body(cancel(requestId, "x".repeat(501))).get("detail").asText()).contains("500");
		assertThat(postJson("/api/v1/requests/" + requestId + "/cancellation", "{\"reason\":", ADMIN).statusCode())
			.isEqualTo(400);
		assertThat(cancel(UUID.randomUUID().toString(), "Unknown.").statusCode()).isEqualTo(404);
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
	}

	@Test
	void ofSeveralCancellationsAtOnceOneWinsAndTheRestGet409() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);

		List<HttpResponse<String>> responses = atOnce(6, () -> cancel(requestId, "Duplicate request."));

		assertThat(responses).noneSatisfy((r) -> assertThat(r.statusCode()).isGreaterThanOrEqualTo(500));
		assertThat(responses.stream().filter((r) -> r.statusCode() == 200)).hasSize(1);
		assertThat(responses.stream().filter((r) -> r.statusCode() != 200))
			.allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isEqualTo(409));
		assertThat(this.jdbc.queryForObject("select count(*) from request_event where request_id = ? and kind = ?",
				Integer.class, requestId, "CANCELLED"))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from ACT_RU_TASK t join ACT_RU_EXECUTION e "
				+ "on t.PROC_INST_ID_ = e.ID_ where e.BUSINESS_KEY_ = ?", Integer.class, requestId))
			.as("the officer's task is gone")
			.isZero();
	}

	// --- requests on a user's behalf

	@Test
	void requestEnteredOnBehalfGoesThroughApprovalAndTheApplicantGetsOnlyTheActivationMail() {
		String email = newMailbox();
		String key = UUID.randomUUID().toString();
		HttpResponse<String> created = onBehalf(key, onBehalfBody(email, csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String requestId = body(created).get("requestId").asText();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/requests/" + requestId);
		assertThat(body(created).get("createdBy").asText()).isEqualTo(ADMIN);

		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activationFrom(awaitMail(email, "ready"));
		assertThat(activate(activation[0], activation[1]).statusCode()).isEqualTo(200);
		assertThat(readMail(email, "invitation")).as("no invitation mail").isNull();
		JsonNode detail = request(requestId);
		assertThat(detail.get("phone").asText()).isEqualTo("+44 20 7946 0000");
		assertThat(find(detail, "event", "SUBMITTED_ON_BEHALF").get("actor").asText()).isEqualTo(ADMIN);
		assertThat(this.jdbc.queryForObject("select START_ACT_ID_ from ACT_HI_PROCINST where BUSINESS_KEY_ = ?",
				String.class, requestId))
			.isEqualTo("StartEvent_RequestEnteredOnBehalf");

		// The same key with other data is refused, never taken for a new request.
		HttpResponse<String> replay = onBehalf(key, onBehalfBody(email, csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(replay.statusCode()).as(replay.body()).isEqualTo(422);
	}

	@Test
	void repeatedPostWithTheSameIdempotencyKeyReturnsTheFirstRequest() {
		String email = newMailbox();
		String key = UUID.randomUUID().toString();
		Map<String, String> body = onBehalfBody(email, csrPem(newEcKey("secp256r1"), "CN=x"));
		HttpResponse<String> first = onBehalf(key, body);
		assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
		HttpResponse<String> again = onBehalf(key, body);
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(body(again).get("requestId").asText()).isEqualTo(body(first).get("requestId").asText());
		assertThat(countRequests(email)).isEqualTo(1);
	}

	@Test
	void concurrentIdenticalPostsMakeOneRequest() throws Exception {
		String email = newMailbox();
		String key = UUID.randomUUID().toString();
		Map<String, String> body = onBehalfBody(email, csrPem(newEcKey("secp256r1"), "CN=x"));

		List<HttpResponse<String>> responses = atOnce(8, () -> onBehalf(key, body));

		assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isIn(200, 201, 409));
		assertThat(responses.stream().filter((r) -> r.statusCode() == 201)).hasSize(1);
		assertThat(countRequests(email)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from ACT_HI_PROCINST where BUSINESS_KEY_ in "
				+ "(select request_id from certificate_request where email = ?)", Integer.class, email))
			.isEqualTo(1);
	}

	@Test
	void requestOnBehalfRefusesWrongInput() {
		String email = newMailbox();
		String csr = csrPem(newEcKey("secp256r1"), "CN=x");
		HttpResponse<String> noKey = postJson("/api/v1/requests", onBehalfBody(email, csr), ADMIN);
		assertThat(noKey.statusCode()).isEqualTo(400);
		assertThat(body(noKey).get("detail").asText()).contains("Idempotency-Key");

		Map<String, String> badCsr = new HashMap<>(onBehalfBody(email, csr));
		badCsr.put("csrPem", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----");
		assertThat(onBehalf(UUID.randomUUID().toString(), badCsr).statusCode()).isBetween(400, 422);
		Map<String, String> weak = new HashMap<>(onBehalfBody(email, csrPem(newRsaKey(1024), "CN=x")));
		HttpResponse<String> weakKey = onBehalf(UUID.randomUUID().toString(), weak);
		assertThat(weakKey.statusCode()).isEqualTo(422);
		assertThat(body(weakKey).get("detail").asText()).contains("2048");
		Map<String, String> noMail = new HashMap<>(onBehalfBody(email, csr));
		noMail.remove("email");
		assertThat(onBehalf(UUID.randomUUID().toString(), noMail).statusCode()).isEqualTo(400);
		Map<String, String> unknownClass = new HashMap<>(onBehalfBody(email, csr));
		unknownClass.put("certificateClass", "no-such-class");
		assertThat(body(onBehalf(UUID.randomUUID().toString(), unknownClass)).get("detail").asText())
			.contains("Unknown certificate class");
		Map<String, String> badPhone = new HashMap<>(onBehalfBody(email, csr));
		badPhone.put("phone", "call me");
		assertThat(onBehalf(UUID.randomUUID().toString(), badPhone).statusCode()).isEqualTo(400);
		assertThat(send(authenticated(HttpRequest.newBuilder(url("/api/v1/requests"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "k-" + UUID.randomUUID())
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":")), ADMIN)).statusCode()).isEqualTo(400);
		assertThat(onBehalf("bad key with spaces", onBehalfBody(email, csr)).statusCode()).isEqualTo(400);
		assertThat(countRequests(email)).isZero();
	}

	// --- roles

	@Test
	void officersAndAnonymousCallersCannotUseTheseEndpoints() {
		String requestId = invite(newMailbox());
		for (String user : new String[] { null, OFFICER }) {
			int expected = (user == null) ? 401 : 403;
			assertThat(get("/api/v1/requests", user).statusCode()).isEqualTo(expected);
			assertThat(get("/api/v1/requests/" + requestId, user).statusCode()).isEqualTo(expected);
			assertThat(postJson("/api/v1/requests/" + requestId + "/invitation", "", user).statusCode())
				.isEqualTo(expected);
			assertThat(postJson("/api/v1/requests/" + requestId + "/activation", "", user).statusCode())
				.isEqualTo(expected);
			assertThat(postJson("/api/v1/requests/" + requestId + "/cancellation", Map.of("reason", "x"), user)
				.statusCode()).isEqualTo(expected);
			assertThat(postJson("/api/v1/requests", onBehalfBody(newMailbox(), "x"), user).statusCode())
				.isEqualTo(expected);
		}
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
	}

	// --- helpers

	private String inviteNamed(String email, String fullName, String certificateClass) {
		HttpResponse<String> response = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", fullName, "certificateClass", certificateClass), ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return body(response).get("requestId").asText();
	}

	private JsonNode list(String query) {
		HttpResponse<String> response = get("/api/v1/requests?" + query, ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return body(response);
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("items").forEach((item) -> ids.add(item.get("requestId").asText()));
		return ids;
	}

	private static JsonNode find(JsonNode detail, String source, String kind) {
		for (JsonNode entry : detail.get("timeline")) {
			if (entry.get("source").asText().equals(source) && entry.get("kind").asText().equals(kind)) {
				return entry;
			}
		}
		throw new AssertionError("No " + source + ":" + kind + " on the timeline: " + detail.get("timeline"));
	}

	private String issuedRequest(String email) {
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		return requestId;
	}

	private HttpResponse<String> activate(String code, String pin) {
		return postJson("/api/v1/activations", Map.of("activationCode", code, "pin", pin), null);
	}

	private HttpResponse<String> cancel(String requestId, String reason) {
		Map<String, String> body = new HashMap<>();
		body.put("reason", reason);
		return postJson("/api/v1/requests/" + requestId + "/cancellation", body, ADMIN);
	}

	private HttpResponse<String> onBehalf(String key, Map<String, String> body) {
		try {
			return send(authenticated(HttpRequest.newBuilder(url("/api/v1/requests"))
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", key)
				.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body))), ADMIN));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> onBehalfBody(String email, String csrPem) {
		Map<String, String> body = new HashMap<>();
		body.put("email", email);
		body.put("fullName", "Ada Applicant");
		body.put("certificateClass", "standard");
		body.put("phone", "+44 20 7946 0000");
		body.put("organisation", "Analytical Engines Ltd");
		body.put("csrPem", csrPem);
		return body;
	}

	private int countRequests(String email) {
		return this.jdbc.queryForObject("select count(*) from certificate_request where email = ?", Integer.class,
				email);
	}

	private static String[] activationFrom(String mail) {
		return new String[] { lastMatch(CODE, mail), lastMatch(PIN, mail) };
	}

	private static String lastMatch(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		String last = null;
		while (matcher.find()) {
			last = matcher.group(1);
		}
		assertThat(last).as("no " + pattern + " in " + text).isNotNull();
		return last;
	}

	private String lastMail(String email, String subjectWord) {
		return readMail(email, subjectWord);
	}

	/** Waits until at least {@code count} mails about the word carry a match. */
	private List<String> awaitTokens(String email, String subjectWord, Pattern pattern, int count) {
		long until = System.currentTimeMillis() + 40_000;
		List<String> found = tokens(email, subjectWord, pattern);
		while (found.size() < count && System.currentTimeMillis() < until) {
			pause();
			found = tokens(email, subjectWord, pattern);
		}
		assertThat(found).hasSizeGreaterThanOrEqualTo(count);
		return found;
	}

	/** What every delivered mail about the word carries, oldest first. */
	private List<String> tokens(String address, String subjectWord, Pattern pattern) {
		Properties properties = new Properties();
		properties.put("mail.imap.host", "127.0.0.1");
		properties.put("mail.imap.port", String.valueOf(this.greenMail.getImap().getPort()));
		List<String> found = new ArrayList<>();
		try {
			Store store = Session.getInstance(properties).getStore("imap");
			store.connect(address, address);
			try {
				Folder inbox = store.getFolder("INBOX");
				inbox.open(Folder.READ_ONLY);
				for (Message message : inbox.getMessages()) {
					if (message.getSubject().contains(subjectWord)) {
						Matcher matcher = pattern.matcher(message.getContent().toString());
						if (matcher.find()) {
							found.add(matcher.group(1));
						}
					}
				}
				inbox.close(false);
			}
			finally {
				store.close();
			}
		}
		catch (jakarta.mail.AuthenticationFailedException ex) {
			return found;
		}
		catch (jakarta.mail.MessagingException | IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	private void awaitOutboxSettled(String requestId) {
		long until = System.currentTimeMillis() + 40_000;
		while (this.jdbc.queryForObject("select count(*) from mail_outbox where request_id = ? and status = 'PENDING'",
				Integer.class, requestId) > 0 && System.currentTimeMillis() < until) {
			pause();
		}
	}

	private void awaitTimer(String requestId) {
		long until = System.currentTimeMillis() + 40_000;
		while (this.jdbc.queryForObject(
				"select count(*) from ACT_RU_JOB j join ACT_RU_EXECUTION e "
						+ "on j.PROCESS_INSTANCE_ID_ = e.ID_ where e.BUSINESS_KEY_ = ? and j.TYPE_ = 'timer'",
				Integer.class, requestId) == 0 && System.currentTimeMillis() < until) {
			pause();
		}
	}

	private static <T> List<T> atOnce(int threads, Supplier<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit((Callable<T>) () -> {
					start.await();
					return call.get();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(2, TimeUnit.MINUTES));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
