package org.certflow.it;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Batch upload through {@code /api/v1/batches}: good rows make invitations (mailed) and
 * requests on the applicants' behalf, bad rows are reported by row and stop nothing, bad
 * files are refused whole with a problem a person understands, nothing is made twice
 * (same file, same row, two uploads at once), a batch left by a dead node goes on from
 * its last row, and the error report neutralises formulas.
 */
class BatchUploadTest extends IntegrationTest {

	private static final String INVITATION_HEADER = "email,fullName,certificateClass,phone,organisation\r\n";

	private static final String REQUEST_HEADER = "email,fullName,certificateClass,csrPem\r\n";

	@Test
	void goodRowsMakeInvitationsAndRequestsAndBadRowsAreReportedByRow() throws Exception {
		String invited = newMailbox();
		String invited2 = newMailbox();
		String invitations = INVITATION_HEADER + invited + ",Ada Applicant,standard,,\r\n"
				+ "=cmd|' /C calc'!A0,Eve,standard,,\r\n" + invited2
				+ ",Bo Junior,standard,+44 20 7946 0000,\"ACME, Inc.\"\r\n" + newMailbox() + ",Cy,no-such-class,,\r\n";
		JsonNode first = awaitDone(uploaded(invitations));
		assertThat(first.get("total").asInt()).isEqualTo(4);
		assertThat(first.get("processed").asInt()).isEqualTo(4);
		assertThat(first.get("failed").asInt()).isEqualTo(2);
		assertThat(first.get("created").asInt()).isEqualTo(2);
		assertThat(first.get("errors")).extracting((e) -> e.get("row").asInt()).containsExactly(3, 5);
		assertThat(first.get("errors").get(1).get("message").asText())
			.startsWith("Unknown certificate class 'no-such-class'");
		assertThat(awaitMail(invited, "invitation")).contains("token=");
		assertThat(awaitMail(invited2, "invitation")).contains("token=");
		assertThat(found(invited)).isEqualTo(1);
		HttpResponse<String> ofBatch = get("/api/v1/requests?batch=" + first.get("batchId").asText(), ADMIN);
		assertThat(body(ofBatch).get("total").asInt()).as(ofBatch.body()).isEqualTo(2);
		assertThat(body(ofBatch).get("items")).extracting((r) -> r.get("email").asText())
			.containsExactlyInAnyOrder(invited, invited2);

		String onBehalf = newMailbox();
		String serverKey = newMailbox();
		String requests = REQUEST_HEADER + onBehalf + ",Ada Applicant,standard,\""
				+ csrPem(newEcKey("secp256r1"), "CN=ignored") + "\"\n" + serverKey + ",Sam Server,standard,\n"
				+ newMailbox() + ",Hal High,high-assurance,\n" + newMailbox()
				+ ",Nora Nocsr,standard,\"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\"\n"
				+ newMailbox() + ",Too,Many,Cells,Here\n";
		JsonNode second = awaitDone(uploaded(requests));
		assertThat(second.get("created").asInt()).as(second.toString()).isEqualTo(2);
		assertThat(second.get("errors")).extracting((e) -> e.get("row").asInt()).containsExactly(4, 5, 6);
		assertThat(second.get("errors").get(0).get("message").asText()).contains("csrPem is empty",
				"high-assurance does not let the server make keys");
		assertThat(second.get("errors").get(2).get("message").asText()).contains("has 5 cells", "header row has 4");
		JsonNode entered = onlyRequest(onBehalf);
		assertThat(entered.get("createdBy").asText()).isEqualTo(ADMIN);
		assertThat(entered.get("keyDescription").asText()).contains("EC");
		// A row without a CSR is an invitation: the applicant chooses the server-made key
		// and
		// its password in the form.
		assertThat(awaitMail(serverKey, "invitation")).contains("token=");

		HttpResponse<String> report = get("/api/v1/batches/" + first.get("batchId").asText() + "/errors.csv", ADMIN);
		assertThat(report.statusCode()).isEqualTo(200);
		assertThat(report.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
		assertThat(report.body()).startsWith("row,email,certificateClass,message\r\n3,'=cmd|' /C calc'!A0,standard,")
			.contains("\r\n5,");
		assertThat(report.body().lines().filter((line) -> line.contains(",=") || line.startsWith("="))).isEmpty();
	}

	@Test
	void theSameFileAgainOrTheSameRowsInAnotherFileMakeNothingTwice() throws Exception {
		String email = newMailbox();
		String file = INVITATION_HEADER + email + ",Ada Applicant,standard,,\r\n";
		HttpResponse<String> first = upload(file.getBytes(StandardCharsets.UTF_8), ADMIN);
		assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
		String batchId = body(first).get("batchId").asText();
		assertThat(first.headers().firstValue("Location").orElseThrow()).isEqualTo("/api/v1/batches/" + batchId);
		awaitDone(batchId);

		HttpResponse<String> again = upload(file.getBytes(StandardCharsets.UTF_8), ADMIN);
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(body(again).get("batchId").asText()).isEqualTo(batchId);

		// Other bytes (another row, the mailbox in capitals), the same row: skipped.
		String other = email.toUpperCase() + ",Ada Applicant,standard,,\r\n" + newMailbox() + ",Bo,standard,,\r\n";
		JsonNode second = awaitDone(uploaded(INVITATION_HEADER + other));
		assertThat(second.get("skipped").asInt()).isEqualTo(1);
		assertThat(second.get("created").asInt()).isEqualTo(1);
		assertThat(found(email)).isEqualTo(1);
	}

	@Test
	void twoUploadsOfOneFileAtOnceMakeOneBatch() throws Exception {
		String email = newMailbox();
		// Large enough (about 800 KB) that the uploads are still being checked and stored
		// when the others arrive; its other rows are refused (a name over 64 characters).
		StringBuilder text = new StringBuilder(INVITATION_HEADER + email + ",Ada Applicant,standard,,\r\n");
		for (int i = 0; i < 13; i++) {
			text.append(newMailbox()).append(',').append("n".repeat(60_000)).append(",standard,,\r\n");
		}
		byte[] file = text.toString().getBytes(StandardCharsets.UTF_8);
		int uploads = 6;
		ExecutorService pool = Executors.newFixedThreadPool(uploads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < uploads; i++) {
			answers.add(pool.submit(() -> {
				start.await();
				return upload(file, ADMIN);
			}));
		}
		start.countDown();
		List<Integer> statuses = new ArrayList<>();
		List<String> batchIds = new ArrayList<>();
		for (Future<HttpResponse<String>> answer : answers) {
			HttpResponse<String> response = answer.get();
			assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
			statuses.add(response.statusCode());
			batchIds.add(body(response).get("batchId").asText());
		}
		pool.shutdown();
		assertThat(statuses).containsOnly(200, 202).containsOnlyOnce(202);
		assertThat(batchIds).containsOnly(batchIds.get(0));
		assertThat(this.jdbc.queryForObject("select count(*) from batch_upload where content_sha256 = ?", Integer.class,
				sha256(file)))
			.isEqualTo(1);
		awaitDone(batchIds.get(0));
		assertThat(found(email)).isEqualTo(1);
	}

	@Test
	void badFilesAreRefusedWholeWithAProblemAPersonUnderstands() {
		byte[] latin1 = (INVITATION_HEADER + "ren\u00e9@example.org,Ren\u00e9,standard,,\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		assertRefused(new byte[0], 400, "The file is empty");
		assertRefused(INVITATION_HEADER.getBytes(StandardCharsets.UTF_8), 400, "no rows below it");
		assertRefused("mail,name,class\r\na,b,c\r\n".getBytes(StandardCharsets.UTF_8), 400, "column 'mail'");
		assertRefused("email,fullName\r\na,b\r\n".getBytes(StandardCharsets.UTF_8), 400,
				"lacks the column certificateClass");
		assertRefused(latin1, 400, "Row 2 is not UTF-8");
		assertRefused(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13 }, 400, "not CSV text");
		assertRefused(new byte[] { 'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0 }, 400, "Excel .xlsx");
		String longRow = INVITATION_HEADER + "a@example.org,\"" + "x".repeat(70 * 1024) + "\",standard,,\r\n";
		assertRefused(longRow.getBytes(StandardCharsets.UTF_8), 400, "Row 2 is longer than 64 KiB");
		// Over certflow.batch.max-file-size (1MB in the suite).
		byte[] large = (INVITATION_HEADER + "y".repeat(1536 * 1024)).getBytes(StandardCharsets.UTF_8);
		assertRefused(large, 413, "larger than 1 MiB");
		assertThat(this.jdbc.queryForObject("select count(*) from batch_upload where content_sha256 in (?, ?)",
				Integer.class, sha256(latin1), sha256(large)))
			.isZero();
	}

	@Test
	void onlyRaAdminsUploadAndNotFromOtherSites() {
		byte[] file = (INVITATION_HEADER + newMailbox() + ",Ada,standard,,\r\n").getBytes(StandardCharsets.UTF_8);
		assertThat(upload(file, OFFICER).statusCode()).isEqualTo(403);
		assertThat(upload(file, null).statusCode()).isEqualTo(401);
		HttpResponse<String> crossSite = send(
				authenticated(multipart(file, "file"), ADMIN).header("Origin", "https://evil.example"));
		assertThat(crossSite.statusCode()).isEqualTo(403);
		assertThat(body(crossSite).get("detail").asText()).contains("not taken from pages of other sites");
		assertThat(
				send(authenticated(multipart(file, "file"), ADMIN).header("Sec-Fetch-Site", "cross-site")).statusCode())
			.isEqualTo(403);
		HttpResponse<String> noFile = send(authenticated(multipart(file, "document"), ADMIN));
		assertThat(noFile.statusCode()).isEqualTo(400);
		assertThat(body(noFile).get("detail").asText()).contains("field named file");
		HttpResponse<String> broken = send(
				authenticated(
						HttpRequest.newBuilder(url("/api/v1/batches"))
							.header("Content-Type", "multipart/form-data; boundary=cut")
							.POST(HttpRequest.BodyPublishers
								.ofString("--cut\r\nContent-Disposition: form-data; name=\"file\"; "
										+ "filename=\"batch.csv\"\r\n\r\nemail,fullName,certificateClass\r\n")),
						ADMIN));
		assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
		assertThat(body(broken).get("detail").asText()).contains("not a readable multipart/form-data body");
		assertThat(broken.headers().firstValue("Content-Type").orElseThrow()).contains("problem+json");
		HttpResponse<String> json = postJson("/api/v1/batches", "{}", ADMIN);
		assertThat(json.statusCode()).isEqualTo(415);
		HttpResponse<String> unknown = get("/api/v1/batches/" + UUID.randomUUID(), ADMIN);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(body(unknown).get("detail").asText()).startsWith("There is no batch");
		assertThat(get("/api/v1/batches/" + UUID.randomUUID() + "/errors.csv", ADMIN).statusCode()).isEqualTo(404);
		assertThat(this.jdbc.queryForObject("select count(*) from batch_upload where content_sha256 = ?", Integer.class,
				sha256(file)))
			.isZero();
	}

	@Test
	void aBatchLeftByADeadNodeGoesOnFromItsLastRow() throws Exception {
		String done = newMailbox();
		String left = newMailbox();
		String header = INVITATION_HEADER;
		String row2 = done + ",Done Before,standard,,\r\n";
		String row3 = left + ",Left Over,standard,,\r\n";
		byte[] file = (header + row2 + row3).getBytes(StandardCharsets.UTF_8);
		String batchId = UUID.randomUUID().toString();
		// As a node that handled row 2, then died, left it: RUNNING, its lease run out.
		this.jdbc.update("insert into batch_upload (batch_id, content_sha256, file_name, file_size, columns_list, "
				+ "uploaded_by, uploaded_at, status, total_rows, processed_rows, failed_rows, skipped_rows, next_row, "
				+ "next_offset, claimed_by, lease_until) values (?, ?, 'left.csv', ?, "
				+ "'EMAIL,FULL_NAME,CERTIFICATE_CLASS,PHONE,ORGANISATION', 'admin', ?, 'RUNNING', 2, 1, 0, 0, 3, ?, "
				+ "'dead-node', ?)", batchId, sha256(file), file.length, java.sql.Timestamp.from(Instant.now()),
				header.length() + row2.length(), java.sql.Timestamp.from(Instant.now().minusSeconds(60)));
		this.jdbc.update("insert into batch_chunk (batch_id, seq, data) values (?, 0, ?)", batchId, file);
		JsonNode batch = awaitDone(batchId);
		assertThat(batch.get("processed").asInt()).isEqualTo(2);
		assertThat(batch.get("created").asInt()).isEqualTo(2);
		assertThat(found(left)).isEqualTo(1);
		assertThat(found(done)).as("row 2 was handled before the crash, not again").isZero();
	}

	// --- helpers

	private String uploaded(String file) {
		HttpResponse<String> response = upload(file.getBytes(StandardCharsets.UTF_8), ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return body(response).get("batchId").asText();
	}

	private HttpResponse<String> upload(byte[] file, String user) {
		return send(authenticated(multipart(file, "file"), user));
	}

	private HttpRequest.Builder multipart(byte[] file, String field) {
		String boundary = "----certflow" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
				+ "\"; filename=\"batch.csv\"\r\nContent-Type: text/csv\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(url("/api/v1/batches"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
	}

	private void assertRefused(byte[] file, int status, String words) {
		HttpResponse<String> response = upload(file, ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("problem+json");
		assertThat(body(response).get("detail").asText()).contains(words);
	}

	private JsonNode awaitDone(String batchId) {
		Instant until = Instant.now().plus(Duration.ofSeconds(60));
		for (;;) {
			HttpResponse<String> response = get("/api/v1/batches/" + batchId, ADMIN);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode batch = body(response);
			if ("DONE".equals(batch.get("status").asText())) {
				assertThat(batch.get("percent").asInt()).isEqualTo(100);
				return batch;
			}
			if (Instant.now().isAfter(until)) {
				fail("Batch " + batchId + " is not done: " + batch);
			}
			pause();
		}
	}

	private int found(String email) {
		HttpResponse<String> response = get("/api/v1/requests?email=" + email, ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return body(response).get("total").asInt();
	}

	private JsonNode onlyRequest(String email) {
		HttpResponse<String> response = get("/api/v1/requests?email=" + email, ADMIN);
		JsonNode items = body(response).get("items");
		assertThat(items.size()).isEqualTo(1);
		return items.get(0);
	}

	private static String sha256(byte[] file) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
