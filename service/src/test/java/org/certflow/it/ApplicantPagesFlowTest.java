package org.certflow.it;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The applicant's way through the server-rendered pages: the landing page behind the
 * invitation link, the pages for links that no longer work, field errors beside their
 * field, a CSR pasted or uploaded (multipart, PEM or DER) and previewed before anything
 * is stored, the confirmation mail with its status link, and the status page.
 */
class ApplicantPagesFlowTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern STATUS_LINK = Pattern.compile("/status\\?token=([A-Za-z0-9_-]+)");

	private static final Pattern CSR_DER = Pattern.compile("name=\"csrDer\" value=\"([^\"]+)\"");

	static final String HOSTILE = "<img src=x onerror=alert(1)>";

	static final String HOSTILE_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";

	@Test
	void landingSaysWhoInvitedForWhichClassWhatHappensNextAndUntilWhenWithoutConsumingTheLink() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);

		for (int i = 0; i < 2; i++) {
			Session page = open("/apply?token=" + token);
			assertThat(page.page)
				.contains("You were invited by <strong>admin</strong>", "What happens next", "Start your application",
						"This link works until", email)
				.containsPattern("in 14 days")
				.containsPattern("<h1>[^<]+</h1>");
			assertThat(page.page.split("<h1").length).as("one h1").isEqualTo(2);
			// Each key option holds its own fragment only: one CSR field, not one per
			// option.
			assertThat(page.page.split("name=\"csrPem\"").length).as("one CSR field").isEqualTo(2);
		}
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
		assertThat(this.jdbc.queryForObject("select consumed_at from invitation where request_id = ?", Timestamp.class,
				requestId))
			.isNull();
	}

	@Test
	void linksThatNoLongerWorkGetAPageThatSaysSoAndWhatToDo() {
		assertThat(get("/apply", null).statusCode()).isEqualTo(400);
		HttpResponse<String> unknown = get("/apply?token=" + UUID.randomUUID(), null);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("not valid", "ask your registration authority")
			.doesNotContain("name=\"fullName\"");

		// The invitation row still valid, but the request's own timer ended it: the page
		// follows the request.
		String expiredEmail = newMailbox();
		String expired = invite(expiredEmail);
		String expiredToken = invitationToken(expiredEmail);
		this.jdbc.update("update certificate_request set status = 'EXPIRED' where request_id = ?", expired);
		HttpResponse<String> expiredPage = get("/apply?token=" + expiredToken, null);
		assertThat(expiredPage.statusCode()).isEqualTo(410);
		assertThat(expiredPage.body()).contains("expired", "will not work again", "new invitation")
			.doesNotContain("name=\"fullName\"");

		String lapsedEmail = newMailbox();
		String lapsed = invite(lapsedEmail);
		String lapsedToken = invitationToken(lapsedEmail);
		this.jdbc.update("update invitation set expires_at = ? where request_id = ?",
				Timestamp.from(Instant.now().minus(1, ChronoUnit.HOURS)), lapsed);
		HttpResponse<String> lapsedPage = get("/apply?token=" + lapsedToken, null);
		assertThat(lapsedPage.statusCode()).isEqualTo(410);
		assertThat(lapsedPage.body()).contains("has expired", "Ask your registration authority");

		String cancelledEmail = newMailbox();
		String cancelled = invite(cancelledEmail);
		String cancelledToken = invitationToken(cancelledEmail);
		this.jdbc.update("update certificate_request set status = 'CANCELLED' where request_id = ?", cancelled);
		HttpResponse<String> cancelledPage = get("/apply?token=" + cancelledToken, null);
		assertThat(cancelledPage.statusCode()).isEqualTo(410);
		assertThat(cancelledPage.body()).contains("cancelled", "will not work again");

		String usedEmail = newMailbox();
		invite(usedEmail);
		String usedToken = invitationToken(usedEmail);
		assertThat(submit(usedToken, csrPem(newEcKey("secp256r1"), "CN=x"), usedEmail).statusCode()).isEqualTo(202);
		HttpResponse<String> usedPage = get("/apply?token=" + usedToken, null);
		assertThat(usedPage.statusCode()).isEqualTo(409);
		assertThat(usedPage.body()).contains("already been used", "status link");
	}

	@Test
	void pastedCsrIsPreviewedAndNothingIsStoredUntilSubmitThenTheConfirmationMailLinksToTheStatusPage() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session form = open("/apply?token=" + token);

		HttpResponse<String> preview = postForm(form,
				Map.of("token", token, "fullName", "Ada Applicant", "organisation", "Example Ltd", "keySource", "CSR",
						"csrPem", csrPem(newEcKey("secp256r1"), "CN=Mallory")));
		assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
		assertThat(preview.body()).contains("Check your application", "CN=Mallory", "ECDSA P-256", "CN=Ada Applicant",
				"will <strong>not</strong> copy", "Example Ltd", "value=\"back\"");
		assertThat(request(requestId).get("status").asText()).as("nothing stored").isEqualTo("INVITED");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from invitation where request_id = ? and consumed_at " + "is null", Integer.class,
				requestId))
			.isEqualTo(1);
		String csrDer = find(CSR_DER, preview.body());

		// Back: the form again, with what was typed.
		HttpResponse<String> back = postForm(form, Map.of("token", token, "fullName", "Ada Applicant", "organisation",
				"Example Ltd", "keySource", "CSR", "csrDer", csrDer, "step", "back"));
		assertThat(back.statusCode()).isEqualTo(200);
		assertThat(back.body()).contains("Start your application", "value=\"Example Ltd\"",
				"BEGIN CERTIFICATE REQUEST");

		HttpResponse<String> applied = postForm(form, Map.of("token", token, "fullName", "Ada Applicant",
				"organisation", "Example Ltd", "keySource", "CSR", "csrDer", csrDer, "step", "submit"));
		assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
		assertThat(applied.body()).contains("Application submitted", requestId, "confirmation mail");

		String mail = awaitMail(email, "received");
		String statusToken = find(STATUS_LINK, mail);
		assertThat(this.jdbc.queryForObject("select token_hash from status_link where request_id = ?", String.class,
				requestId))
			.as("only the hash is kept")
			.doesNotContain(statusToken)
			.hasSize(64);
		awaitStatus(requestId, "PENDING_VALIDATION");
		HttpResponse<String> status = get("/status?token=" + statusToken, null);
		assertThat(status.statusCode()).isEqualTo(200);
		assertThat(status.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((v) -> assertThat(v).contains("no-store"));
		assertThat(status.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(status.body()).contains("With a validation officer", "you submitted your application", requestId);

		// Rejected: the reason the officer gave, and nothing of the RA's inner workings.
		assertThat(decide(requestId, "reject", "We could not reach you by phone.").statusCode()).isEqualTo(204);
		awaitStatus(requestId, "REJECTED");
		HttpResponse<String> rejected = get("/status?token=" + statusToken, null);
		assertThat(rejected.body()).contains("Not approved", "We could not reach you by phone.", "not approved")
			.doesNotContain(">officer<", "ROUTED", "routed", "approval_route", "policy");
		// Reading it twice changes nothing.
		assertThat(get("/status?token=" + statusToken, null).body()).isEqualTo(rejected.body());
	}

	@Test
	void unknownOrGarbledStatusTokensGetA404Page() {
		assertThat(get("/status", null).statusCode()).isEqualTo(404);
		assertThat(get("/status?token=" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
		HttpResponse<String> garbled = get("/status?token=%3Cscript%3E", null);
		assertThat(garbled.statusCode()).isEqualTo(404);
		assertThat(garbled.body()).contains("not valid").doesNotContain("<script>");
	}

	@Test
	void csrFilesArriveAsMultipartPemOrDerAndWrongFilesAreNamedBesideTheField() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session form = open("/apply?token=" + token);
		KeyPair key = newEcKey("secp256r1");
		byte[] der = csr(key, "CN=From a file").getEncoded();

		HttpResponse<String> fromDer = postMultipart(form, token, "csr.der", der);
		assertThat(fromDer.statusCode()).as(fromDer.body()).isEqualTo(200);
		assertThat(fromDer.body()).contains("Check your application", "CN=From a file");
		HttpResponse<String> fromPem = postMultipart(form, token, "csr.pem",
				csrPem(key, "CN=From PEM").getBytes(StandardCharsets.US_ASCII));
		assertThat(fromPem.statusCode()).isEqualTo(200);
		assertThat(fromPem.body()).contains("CN=From PEM");

		byte[] png = Base64.getDecoder()
			.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
		assertFieldError(postMultipart(form, token, "photo.png", png), 400);
		HttpResponse<String> empty = postMultipart(form, token, "empty.csr", new byte[0]);
		assertFieldError(empty, 400);
		assertThat(empty.body()).contains("is empty");
		String certificate = this.http
			.send(HttpRequest.newBuilder(url("/ca/chain.pem")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		String firstCertificate = certificate.substring(0, certificate.indexOf("-----END CERTIFICATE-----") + 25);
		assertFieldError(postMultipart(form, token, "ca.pem", firstCertificate.getBytes(StandardCharsets.US_ASCII)),
				400);
		HttpResponse<String> huge = postMultipart(form, token, "huge.csr", new byte[1024 * 1024]);
		assertThat(huge.statusCode()).isEqualTo(413);

		// Without the CSRF token, a multipart post is refused like any other.
		HttpResponse<String> forged = postMultipart(new Session(form.page, "wrong", form.cookie), token, "csr.der",
				der);
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
	}

	@Test
	void fieldErrorsAppearBesideTheirFieldAndKeepWhatWasTyped() {
		String email = newMailbox();
		invite(email);
		String token = invitationToken(email);
		Session form = open("/apply?token=" + token);

		HttpResponse<String> badPhone = postForm(form, Map.of("token", token, "fullName", "Ada Applicant",
				"organisation", "Example Ltd", "phone", "ring me", "csrPem", csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(badPhone.statusCode()).isEqualTo(400);
		assertThat(badPhone.body()).containsPattern(
				"id=\"phone\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"phone-error\"|id=\"phone\"[^>]*aria-describedby=\"phone-error\"")
			.containsPattern("id=\"phone-error\"[^>]*>Phone number must be")
			.contains("value=\"ring me\"", "value=\"Example Ltd\"");

		HttpResponse<String> noName = postForm(form,
				Map.of("token", token, "fullName", " ", "csrPem", csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(noName.statusCode()).isEqualTo(400);
		assertThat(noName.body()).containsPattern("id=\"fullName-error\"[^>]*>Full name is required.");
		// The page's script shows the same words before submitting.
		assertThat(noName.body()).contains("data-required-message=\"Full name is required.\"");
	}

	@Test
	void aHostileNameAndCsrSubjectAreShownEscapedOnEveryPage() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session form = open("/apply?token=" + token);
		String csr = csrPem(newEcKey("secp256r1"), "CN=<script>alert(2)</script>");

		HttpResponse<String> refused = postForm(form,
				Map.of("token", token, "fullName", HOSTILE, "phone", "<b>x</b>", "csrPem", csr));
		assertThat(refused.body()).doesNotContain(HOSTILE, "<b>x</b>", "<script>alert");

		HttpResponse<String> preview = postForm(form, Map.of("token", token, "fullName", HOSTILE, "csrPem", csr));
		assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
		assertThat(preview.body()).doesNotContain(HOSTILE, "<script>alert").contains(HOSTILE_ESCAPED, "&lt;script");
		HttpResponse<String> applied = postForm(form, Map.of("token", token, "fullName", HOSTILE, "csrDer",
				find(CSR_DER, preview.body()), "keySource", "CSR", "step", "submit"));
		assertThat(applied.statusCode()).isEqualTo(200);
		assertThat(applied.body()).doesNotContain(HOSTILE).contains(HOSTILE_ESCAPED);

		String statusToken = find(STATUS_LINK, awaitMail(email, "received"));
		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(get("/status?token=" + statusToken, null).body()).doesNotContain(HOSTILE).contains(HOSTILE_ESCAPED);

		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		Session activate = open("/activate?code=" + activation[0]);
		assertThat(activate.page).doesNotContain(HOSTILE).contains(HOSTILE_ESCAPED);
		HttpResponse<String> right = postForm("/activate", activate,
				Map.of("code", activation[0], "pin", activation[1]));
		assertThat(right.statusCode()).isEqualTo(303);
		String cookie = right.headers().firstValue("Set-Cookie").map((v) -> v.split(";", 2)[0]).orElseThrow();
		HttpResponse<String> done = send(HttpRequest.newBuilder(url("/activate/done")).header("Cookie", cookie).GET());
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("delivery-csr").doesNotContain("delivery-browser", "delivery-server");
		assertThat(done.body()).doesNotContain("<img src=x")
			.contains("Windows", "macOS", "Linux", "Firefox", "Thunderbird", "openssl pkcs12 -export");
	}

	@Test
	void concurrentSubmissionsOfOneTokenMakeExactlyOneRequest() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session form = open("/apply?token=" + token);
		String csr = csrPem(newEcKey("secp256r1"), "CN=x");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Integer>> posts = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				posts.add(() -> postForm(form, Map.of("token", token, "fullName", "Ada Applicant", "csrPem", csr,
						"keySource", "CSR", "step", "submit"))
					.statusCode());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> status : pool.invokeAll(posts)) {
				statuses.add(status.get());
			}
			assertThat(statuses).containsOnly(200, 409);
			assertThat(statuses.stream().filter((s) -> s == 200).count()).isEqualTo(1);
		}
		finally {
			pool.shutdown();
		}
		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(this.jdbc.queryForObject("select count(*) from status_link where request_id = ?", Integer.class,
				requestId))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from mail_outbox where request_id = ? and kind = 'CONFIRMATION'", Integer.class,
				requestId))
			.isEqualTo(1);
	}

	@Test
	void theApiRefusesAKeySourceTheClassDoesNotTakeAndAnUnknownOne() {
		String className = "browser-only-" + UUID.randomUUID().toString().substring(0, 8);
		Map<String, Object> cls = new LinkedHashMap<>();
		cls.put("name", className);
		cls.put("displayName", "Browser keys only");
		cls.put("description", "Made by ApplicantPagesFlowTest.");
		cls.put("issuanceProfile", "standard");
		cls.put("issueImmediately", true);
		cls.put("allowedDomains", List.of("example.org"));
		cls.put("phoneRequired", false);
		cls.put("pinRequired", false);
		cls.put("keySources", List.of("BROWSER"));
		cls.put("keyAlgorithms", List.of("EC-P256", "RSA-2048"));
		cls.put("validityDays", 365);
		cls.put("distributionMethods", List.of("WEB_PICKUP"));
		cls.put("defaultDistribution", "WEB_PICKUP");
		cls.put("escalationAfter", "PT8H");
		HttpResponse<String> created = postJson("/api/v1/classes", cls, ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String email = newMailbox();
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", className), ADMIN);
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		String requestId = body(invited).get("requestId").asText();
		String token = invitationToken(email);

		HttpResponse<String> refused = postJson("/api/v1/applications", Map.of("invitationToken", token, "csrPem",
				csrPem(newEcKey("secp256r1"), "CN=x"), "fullName", "Ada Applicant", "keySource", "CSR"), null);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = body(refused);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("detail").asText()).contains("does not take keys from", "BROWSER");

		HttpResponse<String> unknown = postJson(
				"/api/v1/applications", Map.of("invitationToken", token, "csrPem",
						csrPem(newEcKey("secp256r1"), "CN=x"), "fullName", "Ada Applicant", "keySource", "SMARTCARD"),
				null);
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(body(unknown).get("detail").asText()).contains("keySource must be one of");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		// The page offers only what the class takes.
		Session form = open("/apply?token=" + token);
		assertThat(form.page).contains("keySource-BROWSER", "Browser keys only").doesNotContain("keySource-CSR\"");
	}

	private void assertFieldError(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).containsPattern("id=\"csr-error\"[^>]*>[^<]+<")
			.containsPattern("id=\"csrPem\"[^>]*aria-invalid=\"true\"")
			.contains("Start your application");
	}

	private Session open(String path) {
		HttpResponse<String> page = get(path, null);
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("page carries a CSRF token").isTrue();
		String cookie = page.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		return new Session(page.body(), csrf.group(1), cookie);
	}

	private HttpResponse<String> postForm(Session session, Map<String, String> fields) {
		return postForm("/apply", session, fields);
	}

	private HttpResponse<String> postForm(String path, Session session, Map<String, String> fields) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.put("_csrf", session.csrf);
		String form = all.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(url(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", session.cookie)
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	/**
	 * The form as a browser sends it with a chosen file: multipart, CSRF token a part.
	 */
	private HttpResponse<String> postMultipart(Session session, String token, String filename, byte[] file) {
		String boundary = "----certflow" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("_csrf", session.csrf);
		fields.put("token", token);
		fields.put("fullName", "Ada Applicant");
		fields.put("keySource", "CSR");
		fields.put("csrPem", "");
		fields.forEach((name, value) -> body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
					.getBytes(StandardCharsets.UTF_8)));
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrFile\"; filename=\""
				+ filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(url("/apply"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Cookie", session.cookie)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
	}

	private record Session(String page, String csrf, String cookie) {
	}

}
