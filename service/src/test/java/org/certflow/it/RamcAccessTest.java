package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console over plain HTTP, as a browser without script would use it: who gets in,
 * CSRF, the one login it shares with the Camunda webapps, the invitation form's checks
 * and its one-time token, what the dashboard lists (incidents, failed mails, locked
 * activations, each with its instance in Cockpit), and the webapps' banner override.
 */
class RamcAccessTest extends IntegrationTest {

	@Autowired
	private RuntimeService runtime;

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern FORM_TOKEN = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"");

	@Test
	void anonymousUsersAreSentToTheLoginPage() {
		for (String path : new String[] { "/ramc", "/ramc/invitations" }) {
			HttpResponse<String> response = get(path, null);
			assertThat(response.statusCode()).as(path).isEqualTo(302);
			assertThat(response.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/ramc/login"));
		}
		HttpResponse<String> login = get("/ramc/login", null);
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("name=\"username\"", "name=\"password\"", "name=\"_csrf\"");
		assertThat(login.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((csp) -> assertThat(csp).contains("default-src 'self'"));
	}

	@Test
	void httpBasicDoesNotOpenTheConsole() {
		// The console is a session login with CSRF tokens; Basic credentials are for the
		// APIs, which take no cookies.
		HttpResponse<String> response = get("/ramc", ADMIN);
		assertThat(response.statusCode()).isEqualTo(302);
	}

	@Test
	void loginWithoutCsrfTokenIsRefused() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/ramc/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=admin&password=admin")));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("Reload the page");
	}

	@Test
	void aLargeBodyToTheConsoleIsRefusedBeforeAnyoneReadsIt() {
		// Its CSRF check would parse a multipart body before the login is checked; only
		// the batch upload may be large.
		String boundary = "certflow-boundary";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n"
				+ "x".repeat(200_000) + "\r\n--" + boundary + "--\r\n";
		for (String path : new String[] { "/ramc/login", "/ramc/invitations" }) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(url(path))
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofString(body)));
			assertThat(response.statusCode()).as(path).isEqualTo(413);
		}
	}

	@Test
	void formPostWithoutCsrfTokenIsRefusedAndCreatesNothing() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		Console.Page form = admin.get("/ramc/invitations");
		Map<String, String> fields = new LinkedHashMap<>(Map.of("formToken", form.formToken(), "email", email,
				"fullName", "Ada Applicant", "certificateClass", "standard"));
		HttpResponse<String> response = admin.post("/ramc/invitations", fields, false);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("Reload the page");
		assertThat(requestsFor(email)).isZero();
	}

	@Test
	void officersGetAForbiddenPage() {
		Console officer = Console.login(this, OFFICER);
		for (String path : new String[] { "/ramc", "/ramc/invitations" }) {
			HttpResponse<String> response = officer.send(path);
			assertThat(response.statusCode()).as(path).isEqualTo(403);
			assertThat(response.body()).contains("Access denied", "User officer may not use the RA console",
					"ra-admins");
		}
		String email = newMailbox();
		HttpResponse<String> post = officer.post("/ramc/invitations",
				Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", "standard"), true);
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(requestsFor(email)).isZero();
	}

	@Test
	void wrongPasswordIsRefusedAndRepeatedOnesAreSlowedDown() {
		String stranger = "ramc-guesser-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> first = Console.attempt(this, stranger, "wrong");
		assertThat(first.statusCode()).isEqualTo(302);
		assertThat(first.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/ramc/login?error"));
		HttpResponse<String> last = first;
		for (int i = 0; i < 6 && !last.headers().firstValue("Location").orElse("").contains("wait="); i++) {
			last = Console.attempt(this, stranger, "wrong");
		}
		String location = last.headers().firstValue("Location").orElse("");
		assertThat(location).as("held back after the free attempts").contains("/ramc/login?wait=");
		HttpResponse<String> page = get(location.substring(location.indexOf("/ramc/login")), null);
		assertThat(page.statusCode()).isEqualTo(429);
		assertThat(page.body()).contains("Too many wrong passwords. Try again in");
	}

	@Test
	void aConsoleLoginAlsoOpensTheCamundaWebapps() {
		Console admin = Console.login(this, ADMIN);
		HttpResponse<String> webapp = admin.send("/camunda/api/admin/auth/user/default");
		assertThat(webapp.statusCode()).as(webapp.body()).isEqualTo(200);
		assertThat(webapp.body()).contains("\"userId\":\"admin\"", "cockpit");
	}

	@Test
	void loggingOutOfTheWebappsLogsOutOfTheConsoleToo() {
		Console admin = Console.login(this, ADMIN);
		assertThat(admin.send("/ramc").statusCode()).isEqualTo(200);
		// The webapps' own CSRF: the XSRF-TOKEN cookie echoed in a header.
		admin.send("/camunda/api/admin/auth/user/default");
		HttpResponse<String> logout = admin.postWebapp("/camunda/api/admin/auth/user/default/logout");
		assertThat(logout.statusCode()).as(logout.body()).isEqualTo(200);
		// Twice: the console's login is gone from the session, not just ignored once.
		assertThat(admin.send("/ramc").statusCode()).isEqualTo(302);
		assertThat(admin.send("/ramc/invitations").statusCode()).isEqualTo(302);
	}

	@Test
	void aCamundaWebappLoginOpensTheConsoleForAdminsOnly() {
		WebappSession admin = WebappSession.login(this, ADMIN);
		HttpResponse<String> dashboard = send(
				HttpRequest.newBuilder(url("/ramc")).header("Cookie", admin.cookieHeader()).GET());
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains("Dashboard", "Requests by status");

		WebappSession officer = WebappSession.login(this, OFFICER);
		HttpResponse<String> refused = send(
				HttpRequest.newBuilder(url("/ramc")).header("Cookie", officer.cookieHeader()).GET());
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	@Test
	void logoutEndsTheSession() {
		Console admin = Console.login(this, ADMIN);
		assertThat(admin.send("/ramc").statusCode()).isEqualTo(200);
		Console.Page dashboard = admin.get("/ramc");
		HttpResponse<String> logout = admin.post("/ramc/logout", Map.of("_csrf", dashboard.csrf()), false);
		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(logout.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/ramc/login?logout"));
		assertThat(admin.send("/ramc").statusCode()).isEqualTo(302);
	}

	@Test
	void wrongInvitationInputShowsEveryProblemBesideItsFieldAndKeepsTheValues() {
		Console admin = Console.login(this, ADMIN);
		Console.Page form = admin.get("/ramc/invitations");
		assertThat(form.body()).contains("value=\"standard\"", "value=\"auto-domain\"");

		HttpResponse<String> response = admin.post("/ramc/invitations", Map.of("formToken", form.formToken(), "email",
				"not-a-mailbox", "fullName", "A".repeat(65), "certificateClass", "no-such-class"), true);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("id=\"email-error\"", "id=\"fullName-error\"",
				"id=\"certificateClass-error\"", "Email address cannot go into a certificate",
				"Unknown certificate class &#39;no-such-class&#39;", "value=\"not-a-mailbox\"",
				"value=\"" + "A".repeat(65) + "\"");
		// The same messages as the API gives for the same input.
		HttpResponse<String> api = postJson("/api/v1/invitations",
				Map.of("email", "not-a-mailbox", "fullName", "Ada", "certificateClass", "standard"), ADMIN);
		String detail = body(api).get("detail").asText();
		assertThat(response.body()).contains(HtmlUtils.htmlEscape(detail));

		HttpResponse<String> empty = admin.post("/ramc/invitations", Map.of("formToken", form.formToken()), true);
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("Email address is required.", "Full name is required.",
				"certificateClass is required.");
	}

	@Test
	void retiredClassesAreNeitherOfferedNorAccepted() {
		String retired = "ramc-retired-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.update(
				"insert into certificate_class (name, display_name, issuance_profile, issue_immediately, "
						+ "retired_at) values (?, 'Retired for a test', 'standard', true, ?)",
				retired, utc(Instant.now()));
		Console admin = Console.login(this, ADMIN);
		Console.Page form = admin.get("/ramc/invitations");
		assertThat(form.body()).contains("value=\"standard\"").doesNotContain(retired);

		String email = newMailbox();
		HttpResponse<String> response = admin.post("/ramc/invitations", Map.of("formToken", form.formToken(), "email",
				email, "fullName", "Ada Applicant", "certificateClass", retired), true);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("id=\"certificateClass-error\"", "is retired and takes no new requests");
		assertThat(requestsFor(email)).isZero();
	}

	@Test
	void markupInInputIsShownAsText() {
		Console admin = Console.login(this, ADMIN);
		Console.Page form = admin.get("/ramc/invitations");
		HttpResponse<String> response = admin.post("/ramc/invitations", Map.of("formToken", form.formToken(), "email",
				"<script>alert(1)</script>", "fullName", "Ada", "certificateClass", "standard"), true);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
	}

	@Test
	void anInvitationSentTwiceWithTheSameFormIsMadeOnce() throws Exception {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		Console.Page form = admin.get("/ramc/invitations");
		Map<String, String> fields = Map.of("formToken", form.formToken(), "email", email, "fullName", "Ada Applicant",
				"certificateClass", "standard");

		// Two tabs (or a double click) at the same moment.
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> sent = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				Callable<HttpResponse<String>> send = () -> {
					start.await();
					return admin.post("/ramc/invitations", fields, true);
				};
				sent.add(pool.submit(send));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<HttpResponse<String>> response : sent) {
				statuses.add(response.get().statusCode());
			}
			assertThat(statuses).containsExactlyInAnyOrder(302, 409);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(requestsFor(email)).isEqualTo(1);
		String requestId = this.jdbc.queryForObject("select request_id from certificate_request where email = ?",
				String.class, email);

		HttpResponse<String> result = admin.send("/ramc/invitations");
		assertThat(result.body()).as("the flash message after the redirect").contains(requestId);

		// Back and send again, later.
		HttpResponse<String> again = admin.post("/ramc/invitations", fields, true);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("This form was sent before", requestId);
		assertThat(requestsFor(email)).isEqualTo(1);
		awaitMail(email, "invitation");
	}

	@Test
	void aFormTokenFromNowhereSendsNothing() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		HttpResponse<String> response = admin.post("/ramc/invitations", Map.of("formToken", "made-up", "email", email,
				"fullName", "Ada Applicant", "certificateClass", "standard"), true);
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(response.body()).contains("This form has expired", "value=\"" + email + "\"");
		assertThat(requestsFor(email)).isZero();
	}

	@Test
	void theDashboardListsFailedMailsAndLockedActivationsWithTheirInstanceInCockpit() {
		Console admin = Console.login(this, ADMIN);
		String failedEmail = newMailbox();
		String failedRequest = invite(failedEmail);
		awaitMail(failedEmail, "invitation");
		// The outbox gives up after days; the test writes the outcome it would.
		this.jdbc.update("update mail_outbox set status = 'FAILED', failed_at = ?, last_error = ? where request_id = ?",
				utc(Instant.now()), "550 <b>mailbox unavailable</b>", failedRequest);
		String lockedEmail = newMailbox();
		String lockedRequest = invite(lockedEmail);
		this.jdbc.update(
				"insert into activation (request_id, code_hash, pin_hash, failed_attempts, expires_at, locked_at) "
						+ "values (?, ?, 'x', 5, ?, ?)",
				lockedRequest, UUID.randomUUID().toString().replace("-", ""), utc(Instant.now().plusSeconds(86400)),
				utc(Instant.now()));
		String failedInstance = instanceOf(failedRequest);
		String stuckEmail = newMailbox();
		String stuckRequest = invite(stuckEmail);
		// At rest (the invitation sent), so that nothing else moves the instance
		// meanwhile.
		awaitMail(stuckEmail, "invitation");
		String waitingExecution = this.jdbc
			.queryForList("select ID_ from ACT_RU_EXECUTION where PROC_INST_ID_ = ? and ACT_ID_ is not null",
					String.class, instanceOf(stuckRequest))
			.get(0);
		Incident incident = this.runtime.createIncident("ramc-test", waitingExecution, null, "Signer <unreachable>");

		HttpResponse<String> dashboard;
		try {
			dashboard = admin.send("/ramc");
		}
		finally {
			this.runtime.resolveIncident(incident.getId());
		}

		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains(failedRequest, failedEmail, "&lt;b&gt;mailbox unavailable&lt;/b&gt;",
				"/camunda/app/cockpit/default/#/process-instance/" + failedInstance, lockedRequest, lockedEmail,
				"/camunda/app/cockpit/default/#/process-instance/" + instanceOf(lockedRequest), stuckRequest,
				"Signer &lt;unreachable&gt;",
				"/camunda/app/cockpit/default/#/process-instance/" + instanceOf(stuckRequest), "<svg");
		Matcher invited = Pattern.compile("<span class=\"count\">(\\d+)</span>\\s*<span class=\"label\">INVITED</span>")
			.matcher(dashboard.body());
		assertThat(invited.find()).isTrue();
		assertThat(Long.parseLong(invited.group(1))).isEqualTo(this.jdbc
			.queryForObject("select count(*) from certificate_request where status = 'INVITED'", Long.class));
	}

	@Test
	void theCamundaWebappsHideTheEndOfLifeBanner() {
		for (String app : new String[] { "tasklist", "cockpit", "admin", "welcome" }) {
			HttpResponse<String> css = get("/camunda/app/" + app + "/styles/user-styles.css", null);
			assertThat(css.statusCode()).as(app).isEqualTo(200);
			assertThat(css.body()).as(app).contains(".ce-eol-banner", "display: none !important");
		}
	}

	private long requestsFor(String email) {
		return this.jdbc.queryForObject("select count(*) from certificate_request where email = ?", Long.class, email);
	}

	private String instanceOf(String requestId) {
		return this.jdbc.queryForObject(
				"select ID_ from ACT_RU_EXECUTION where BUSINESS_KEY_ = ? and PARENT_ID_ is null", String.class,
				requestId);
	}

	private static Timestamp utc(Instant instant) {
		return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
	}

	/**
	 * A browser without script: a cookie jar (cookies are Secure) and the page's tokens.
	 */
	static final class Console {

		private final IntegrationTest test;

		private final Map<String, String> cookies = new LinkedHashMap<>();

		private Console(IntegrationTest test) {
			this.test = test;
		}

		static Console login(IntegrationTest test, String user) {
			Console console = new Console(test);
			HttpResponse<String> response = console.loginAs(user, user);
			assertThat(response.statusCode()).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error", "wait");
			return console;
		}

		static HttpResponse<String> attempt(IntegrationTest test, String user, String password) {
			return new Console(test).loginAs(user, password);
		}

		private HttpResponse<String> loginAs(String user, String password) {
			Page login = get("/ramc/login");
			return post("/ramc/login", Map.of("username", user, "password", password, "_csrf", login.csrf()), false);
		}

		Page get(String path) {
			HttpResponse<String> response = send(path);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return new Page(response.body());
		}

		HttpResponse<String> send(String path) {
			return keep(this.test.send(request(path).GET()));
		}

		/** Posts a form, with the CSRF token of a freshly loaded page when asked to. */
		HttpResponse<String> post(String path, Map<String, String> fields, boolean withCsrf) {
			Map<String, String> all = new LinkedHashMap<>(fields);
			if (withCsrf) {
				// One token per session: the login page, open to all, shows it.
				all.put("_csrf", get("/ramc/login").csrf());
			}
			String form = all.entrySet()
				.stream()
				.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return keep(this.test.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))));
		}

		HttpResponse<String> postWebapp(String path) {
			String xsrf;
			synchronized (this.cookies) {
				xsrf = this.cookies.get("XSRF-TOKEN");
			}
			return keep(this.test.send(request(path).header("X-XSRF-TOKEN", String.valueOf(xsrf))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.noBody())));
		}

		private HttpRequest.Builder request(String path) {
			StringBuilder header = new StringBuilder();
			synchronized (this.cookies) {
				this.cookies.forEach((name,
						value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(this.test.url(path));
			if (!header.isEmpty()) {
				request.header("Cookie", header.toString());
			}
			return request;
		}

		private HttpResponse<String> keep(HttpResponse<String> response) {
			synchronized (this.cookies) {
				for (String setCookie : response.headers().allValues("Set-Cookie")) {
					String pair = setCookie.split(";", 2)[0];
					int equals = pair.indexOf('=');
					this.cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
			return response;
		}

		record Page(String body) {

			String csrf() {
				Matcher matcher = CSRF.matcher(this.body);
				assertThat(matcher.find()).as("page carries a CSRF token").isTrue();
				return matcher.group(1);
			}

			String formToken() {
				Matcher matcher = FORM_TOKEN.matcher(this.body);
				assertThat(matcher.find()).as("form carries a one-time token").isTrue();
				return matcher.group(1);
			}

		}

	}

}
