package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.certflow.it.RamcAccessTest.Console;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console's requests pages over plain HTTP: who gets in, CSRF, the search and its
 * wrong parameters, paging, a request's detail and timeline, and each action (resend the
 * invitation, new activation code, cancel, revoke) where it applies, where it does not,
 * and sent twice.
 */
class RamcRequestsTest extends IntegrationTest {

	private static final Pattern CODE = Pattern.compile("[?&]code=([A-Za-z0-9_-]+)");

	private static final Pattern PIN = Pattern.compile("PIN: (\\d+)");

	// --- access

	@Test
	void anonymousUsersAreSentToTheLoginPageAndOfficersAreRefused() {
		String requestId = invite(newMailbox());
		for (String path : new String[] { "/ramc/requests", "/ramc/requests/" + requestId }) {
			HttpResponse<String> response = get(path, null);
			assertThat(response.statusCode()).as(path).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/ramc/login");
		}
		Console officer = Console.login(this, OFFICER);
		for (String path : new String[] { "/ramc/requests", "/ramc/requests/" + requestId }) {
			HttpResponse<String> response = officer.send(path);
			assertThat(response.statusCode()).as(path).isEqualTo(403);
			assertThat(response.body()).contains("User officer may not use the RA console");
		}
		HttpResponse<String> post = officer.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", "any", "reason", "an officer tries"), true);
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(status(requestId)).isEqualTo("INVITED");
	}

	@Test
	void anActionWithoutCsrfTokenIsRefusedAndChangesNothing() {
		Console admin = Console.login(this, ADMIN);
		String requestId = invite(newMailbox());
		String page = admin.get("/ramc/requests/" + requestId).body();
		HttpResponse<String> response = admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(page, "cancel-request"), "reason", "no csrf"), false);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("Reload the page");
		assertThat(status(requestId)).isEqualTo("INVITED");
		assertThat(events(requestId, "CANCELLED")).isZero();
	}

	// --- search

	@Test
	void findsARequestByMailboxAndShowsItsRowWithALinkToItsDetail() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = invite(email);
		this.jdbc.update("update certificate_request set escalated_at = ? where request_id = ?",
				java.sql.Timestamp.from(Instant.now()), requestId);
		String page = admin.get("/ramc/requests?email=" + enc(email)).body();
		assertThat(page).contains("href=\"/ramc/requests/" + requestId + "\"", email, "INVITED", "standard",
				"Ada Applicant", "class=\"escalated\"", "of <span>1</span>");
		// Every criterion together.
		String today = LocalDate.now(ZoneOffset.UTC).toString();
		String all = admin
			.get("/ramc/requests?email=" + enc(email) + "&name=ada&status=INVITED&class=standard&from=" + today + "&to="
					+ today + "&size=10")
			.body();
		assertThat(all).contains("href=\"/ramc/requests/" + requestId + "\"");

		String none = admin.get("/ramc/requests?email=" + enc(newMailbox())).body();
		assertThat(none).contains("No request matches this search.").doesNotContain("id=\"results\"");
		assertThat(admin.get("/ramc/requests?serial=abcdef0123").body()).contains("No request matches this search.");
	}

	@Test
	void badSearchParametersAreSaidOnThePage() {
		Console admin = Console.login(this, ADMIN);
		Map<String, String> wrong = Map.of("status=BOGUS", "Unknown status &#39;BOGUS&#39;", "page=-1",
				"page must be a whole number from 0", "size=1000", "size must be a whole number from 1 to 100",
				"from=2026-13-45", "from must be a date", "serial=xyz", "serial must be a certificate serial",
				"from=2026-11-30&to=2026-11-01", "must not be after to", "email=" + "a".repeat(300),
				"email is longer than 254");
		wrong.forEach((query, message) -> {
			HttpResponse<String> response = admin.send("/ramc/requests?" + query);
			assertThat(response.statusCode()).as(query).isEqualTo(400);
			assertThat(response.body()).as(query).contains("id=\"search-error\"", "Nothing was searched", message);
			assertThat(response.body()).as(query).contains("<form id=\"search\"");
		});
	}

	@Test
	void resultsArePagedWithLinksToTheNextAndPreviousPage() {
		Console admin = Console.login(this, ADMIN);
		String name = "Pager" + UUID.randomUUID().toString().substring(0, 8);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String email = newMailbox();
			HttpResponse<String> response = postJson("/api/v1/invitations",
					Map.of("email", email, "fullName", name + " Applicant", "certificateClass", "standard"), ADMIN);
			assertThat(response.statusCode()).isEqualTo(201);
			ids.add(body(response).get("requestId").asText());
		}
		String first = admin.get("/ramc/requests?name=" + name + "&size=2").body();
		assertThat(first).contains("<span>1</span>", "<span>2</span>", "of <span>3</span>")
			.contains("rel=\"next\"")
			.doesNotContain("rel=\"prev\"");
		String next = find(Pattern.compile("rel=\"next\" href=\"([^\"]+)\""), first).replace("&amp;", "&");
		assertThat(next).contains("name=" + name, "size=2", "page=1");
		String second = admin.get(next).body();
		assertThat(second).contains("Requests <span>3</span>", "of <span>3</span>")
			.contains("rel=\"prev\"")
			.doesNotContain("rel=\"next\"");
		long shown = ids.stream().filter((id) -> first.contains(id) || second.contains(id)).count();
		assertThat(shown).isEqualTo(3);
	}

	// --- detail

	@Test
	void theDetailShowsTheRequestItsTimelineAndItsInstanceInCockpitButNoMailText() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = invite(email);
		String mail = awaitMail(email, "invitation");
		awaitOutboxSent(requestId);
		String page = admin.get("/ramc/requests/" + requestId).body();
		assertThat(page).contains(requestId, email, "Ada Applicant", "INVITED", "id=\"timeline\"", "Event",
				"<strong class=\"kind\">INVITED</strong>", "by admin", "<strong class=\"kind\">INVITATION</strong>",
				"(SENT)", "/camunda/app/cockpit/default/#/process-instance/" + instanceOf(requestId),
				"id=\"resend-invitation\"", "id=\"cancel-request\"");
		assertThat(page).doesNotContain("id=\"reissue-activation\"", "id=\"revoke-certificate\"");
		String token = find(Pattern.compile("[?&]token=([A-Za-z0-9_-]+)"), mail);
		assertThat(page).as("never a mail's text").doesNotContain(token);
	}

	@Test
	void anUnknownRequestGetsANotFoundPage() {
		Console admin = Console.login(this, ADMIN);
		HttpResponse<String> response = admin.send("/ramc/requests/" + UUID.randomUUID());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("Request not found", "Search the requests");
		HttpResponse<String> odd = admin.send("/ramc/requests/%3Cb%3Eodd");
		assertThat(odd.statusCode()).isEqualTo(404);
		assertThat(odd.body()).doesNotContain("<b>odd");
	}

	@Test
	void markupInARequestsDataIsShownAsText() {
		Console admin = Console.login(this, ADMIN);
		String requestId = invite(newMailbox());
		this.jdbc.update("update certificate_request set full_name = ? where request_id = ?",
				"<script>alert(1)</script>", requestId);
		String reason = "<img src=x onerror=alert(2)>";
		String page = admin.get("/ramc/requests/" + requestId).body();
		HttpResponse<String> cancelled = admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(page, "cancel-request"), "reason", reason), true);
		assertThat(cancelled.statusCode()).isEqualTo(302);
		String detail = admin.get("/ramc/requests/" + requestId).body();
		assertThat(detail).doesNotContain("<script>alert(1)</script>", reason)
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;");
		String list = admin.get("/ramc/requests?name=script").body();
		assertThat(list).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
	}

	// --- actions

	@Test
	void resendingTheInvitationMailsANewLinkAndAChangedRequestGetsTheServicesMessage() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = invite(email);
		awaitMail(email, "invitation");
		String page = admin.get("/ramc/requests/" + requestId).body();
		String result = follow(admin, admin.post("/ramc/requests/" + requestId + "/invitation",
				Map.of("formToken", formToken(page, "resend-invitation")), true));
		assertThat(result).contains("id=\"action-success\"", "The invitation was sent again to " + email,
				"INVITATION_RESENT");
		assertThat(events(requestId, "INVITATION_RESENT")).isEqualTo(1);

		// The request changes meanwhile (cancelled through the API); the open form is
		// sent.
		String stale = admin.get("/ramc/requests/" + requestId).body();
		cancelByApi(requestId);
		String refused = follow(admin, admin.post("/ramc/requests/" + requestId + "/invitation",
				Map.of("formToken", formToken(stale, "resend-invitation")), true));
		assertThat(refused).contains("id=\"action-error\"", "is CANCELLED: an invitation can only be sent again");
		assertThat(refused).doesNotContain("id=\"resend-invitation\"");
		assertThat(events(requestId, "INVITATION_RESENT")).isEqualTo(1);
	}

	@Test
	void aNewActivationCodeUnlocksALockedActivationAndOnlyWhileIssued() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String firstMail = awaitMail(email, "ready");
		String oldCode = find(CODE, firstMail);
		for (int i = 0; i < 5; i++) {
			activate(oldCode, "00000000");
		}
		assertThat(activate(oldCode, find(PIN, firstMail)).statusCode()).as("locked").isEqualTo(423);

		String page = admin.get("/ramc/requests/" + requestId).body();
		assertThat(page).doesNotContain("id=\"resend-invitation\"").contains("id=\"cancel-request\"");
		String result = follow(admin, admin.post("/ramc/requests/" + requestId + "/activation",
				Map.of("formToken", formToken(page, "reissue-activation")), true));
		assertThat(result).contains("id=\"action-success\"", "A new activation code and PIN were mailed",
				"ACTIVATION_REISSUED", "after a lock");
		assertThat(activate(oldCode, find(PIN, firstMail)).statusCode()).as("the old code stopped").isEqualTo(404);

		// Cancelled meanwhile: an open form gets the service's refusal.
		String stale = admin.get("/ramc/requests/" + requestId).body();
		cancelByApi(requestId);
		String refused = follow(admin, admin.post("/ramc/requests/" + requestId + "/activation",
				Map.of("formToken", formToken(stale, "reissue-activation")), true));
		assertThat(refused).contains("id=\"action-error\"", "a new activation code can only be issued while");
		assertThat(events(requestId, "ACTIVATION_REISSUED")).isEqualTo(1);
	}

	@Test
	void cancellingNeedsAReasonWithinTheLimitAndEndsTheRequest() {
		Console admin = Console.login(this, ADMIN);
		String requestId = invite(newMailbox());
		String page = admin.get("/ramc/requests/" + requestId).body();
		assertThat(page).contains("maxlength=\"500\"");

		String empty = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(page, "cancel-request"), "reason", "  "), true));
		assertThat(empty).contains("id=\"action-error\"", "reason");
		String tooLong = "x".repeat(501);
		String longPage = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(empty, "cancel-request"), "reason", tooLong), true));
		assertThat(longPage).contains("id=\"action-error\"", "500").contains(">" + tooLong + "</textarea>");
		assertThat(status(requestId)).isEqualTo("INVITED");

		String done = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(longPage, "cancel-request"), "reason", "Applicant left"), true));
		assertThat(done).contains("id=\"action-success\"", "The request was cancelled.", "CANCELLED", "Applicant left");
		assertThat(done).doesNotContain("id=\"cancel-request\"", "id=\"resend-invitation\"");
		assertThat(status(requestId)).isEqualTo("CANCELLED");
	}

	@Test
	void aCollectedRequestIsNotCancelledButItsCertificateIsRevoked() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = issuedRequest(email);
		String mail = awaitMail(email, "ready");
		assertThat(activate(find(CODE, mail), find(PIN, mail)).statusCode()).isEqualTo(200);
		awaitStatus(requestId, "COLLECTED");

		String page = admin.get("/ramc/requests/" + requestId).body();
		String serial = find(Pattern.compile("id=\"certificate-serial\">([0-9a-f]+)<"), page);
		assertThat(page).contains("id=\"revoke-certificate\"", "keyCompromise", "GOOD")
			.doesNotContain("id=\"cancel-request\"", "id=\"reissue-activation\"", "certificateHold");
		String second = admin.get("/ramc/requests/" + requestId).body();

		// A cancellation sent anyway (a token from the revocation form) gets the
		// service's refusal.
		String cancel = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", formToken(page, "revoke-certificate"), "reason", "too late"), true));
		assertThat(cancel).contains("id=\"action-error\"", "was collected", "Revoke the certificate instead");
		assertThat(status(requestId)).isEqualTo("COLLECTED");

		String noReason = follow(admin, admin.post("/ramc/requests/" + requestId + "/revocation",
				Map.of("formToken", formToken(cancel, "revoke-certificate"), "reason", ""), true));
		assertThat(noReason).contains("id=\"action-error\"", "Choose the reason");
		String badReason = follow(admin, admin.post("/ramc/requests/" + requestId + "/revocation",
				Map.of("formToken", formToken(noReason, "revoke-certificate"), "reason", "cACompromise"), true));
		assertThat(badReason).contains("id=\"action-error\"", "not to subscriber certificates");

		String revoked = follow(admin, admin.post("/ramc/requests/" + requestId + "/revocation",
				Map.of("formToken", formToken(badReason, "revoke-certificate"), "reason", "keyCompromise"), true));
		assertThat(revoked).contains("id=\"action-success\"", "Certificate " + serial + " was revoked (keyCompromise)",
				"id=\"revocation-status\">REVOKED<");
		assertThat(revoked).doesNotContain("id=\"revoke-certificate\"");
		assertThat(get("/api/v1/certificates/" + serial, ADMIN).body()).contains("\"REVOKED\"");

		// The second tab's form, sent after the revocation.
		String again = follow(admin, admin.post("/ramc/requests/" + requestId + "/revocation",
				Map.of("formToken", formToken(second, "revoke-certificate"), "reason", "superseded"), true));
		assertThat(again).contains("id=\"action-error\"", "already revoked");
	}

	@Test
	void oneFormSentTwiceAtOnceAndAgainLaterActsOnce() throws Exception {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		String requestId = invite(email);
		awaitMail(email, "invitation");
		String page = admin.get("/ramc/requests/" + requestId).body();
		Map<String, String> fields = Map.of("formToken", formToken(page, "resend-invitation"));
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> sent = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				Callable<HttpResponse<String>> send = () -> {
					start.await();
					return admin.post("/ramc/requests/" + requestId + "/invitation", fields, true);
				};
				sent.add(pool.submit(send));
			}
			start.countDown();
			// Each tab follows its redirect and shows what came of its sending.
			List<String> shown = new ArrayList<>();
			for (Future<HttpResponse<String>> response : sent) {
				shown.add(follow(admin, response.get()));
			}
			assertThat(shown).filteredOn((shownPage) -> shownPage.contains("id=\"action-success\"")).hasSize(1);
			assertThat(shown).filteredOn((shownPage) -> shownPage.contains("id=\"action-notice\"")).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(events(requestId, "INVITATION_RESENT")).isEqualTo(1);

		// Back and send again, later.
		String again = follow(admin, admin.post("/ramc/requests/" + requestId + "/invitation", fields, true));
		assertThat(again).contains("id=\"action-notice\"", "This form was sent before");
		assertThat(events(requestId, "INVITATION_RESENT")).isEqualTo(1);

		// The same for a cancellation.
		String fresh = admin.get("/ramc/requests/" + requestId).body();
		Map<String, String> cancel = Map.of("formToken", formToken(fresh, "cancel-request"), "reason", "twice");
		assertThat(follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation", cancel, true)))
			.contains("The request was cancelled.");
		String twice = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation", cancel, true));
		assertThat(twice).contains("This form was sent before").doesNotContain("id=\"action-error\"");
		assertThat(events(requestId, "CANCELLED")).isEqualTo(1);

		String madeUp = follow(admin, admin.post("/ramc/requests/" + requestId + "/cancellation",
				Map.of("formToken", "made-up", "reason", "x"), true));
		assertThat(madeUp).contains("This form has expired");
	}

	// --- helpers

	private String issuedRequest(String email) {
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		return requestId;
	}

	private HttpResponse<String> activate(String code, String pin) {
		return postJson("/api/v1/activations", Map.of("activationCode", code, "pin", pin), null);
	}

	private void cancelByApi(String requestId) {
		HttpResponse<String> response = postJson("/api/v1/requests/" + requestId + "/cancellation",
				Map.of("reason", "changed meanwhile"), ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	/** Follows a post's redirect to the detail page and returns what it shows. */
	private static String follow(Console admin, HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		String location = response.headers().firstValue("Location").orElseThrow();
		return admin.get(location.substring(location.indexOf("/ramc/"))).body();
	}

	static String formToken(String page, String formId) {
		int start = page.indexOf("<form id=\"" + formId + "\"");
		assertThat(start).as("form " + formId + " on the page").isNotNegative();
		String form = page.substring(start, page.indexOf("</form>", start));
		Matcher matcher = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"").matcher(form);
		assertThat(matcher.find()).as("form " + formId + " with a one-time token").isTrue();
		return matcher.group(1);
	}

	private String status(String requestId) {
		return this.jdbc.queryForObject("select status from certificate_request where request_id = ?", String.class,
				requestId);
	}

	private long events(String requestId, String kind) {
		return this.jdbc.queryForObject("select count(*) from request_event where request_id = ? and kind = ?",
				Long.class, requestId, kind);
	}

	private String instanceOf(String requestId) {
		return this.jdbc.queryForObject(
				"select ID_ from ACT_RU_EXECUTION where BUSINESS_KEY_ = ? and PARENT_ID_ is null", String.class,
				requestId);
	}

	private void awaitOutboxSent(String requestId) {
		long until = System.currentTimeMillis() + 30_000;
		while (System.currentTimeMillis() < until && this.jdbc.queryForObject(
				"select count(*) from mail_outbox where request_id = ? and status <> 'SENT'", Long.class,
				requestId) > 0) {
			pause();
		}
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
