package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.certflow.it.RamcAccessTest.Console;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RAMC page for requests entered on an applicant's behalf: it makes the request the
 * API would, keeps the values and names the problem on bad input, makes one request
 * however often the same form is sent, and is closed to officers, strangers and posts
 * without the CSRF token.
 */
class RamcOnBehalfTest extends IntegrationTest {

	@Test
	void anAdminEntersARequestThatGoesToTheOfficers() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		HttpResponse<String> sent = admin.post("/ramc/on-behalf",
				fields(admin, email, csrPem(newEcKey("secp256r1"), "CN=ignored")), true);

		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
		String result = admin.get("/ramc/on-behalf").body();
		assertThat(result).contains("Request entered for", email);
		String requestId = requestIdOf(email);
		assertThat(awaitStatus(requestId, "PENDING_VALIDATION").get("createdBy").asText()).isEqualTo(ADMIN);
		assertThat(result).contains(requestId);
	}

	@Test
	void aBadCsrIsNamedAndTheValuesAreKept() {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		Map<String, String> fields = fields(admin, email, "-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n");
		fields.put("organisation", "<b>Acme</b>");

		HttpResponse<String> refused = admin.post("/ramc/on-behalf", fields, true);

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("The request was not entered", "value=\"" + email + "\"",
				"&lt;b&gt;Acme&lt;/b&gt;", "id=\"csrPem\"", "aria-invalid=\"true\"");
		assertThat(refused.body()).doesNotContain("<b>Acme</b>");
		assertThat(count(email)).isZero();

		fields.put("csrPem", csrPem(newEcKey("secp256r1"), "CN=x"));
		fields.put("phone", "call me");
		HttpResponse<String> badPhone = admin.post("/ramc/on-behalf", fields, true);
		assertThat(badPhone.statusCode()).isEqualTo(400);
		assertThat(badPhone.body()).contains("phone must be a telephone number");
		assertThat(count(email)).isZero();
	}

	@Test
	void theSameFormSentTwiceAtOnceMakesOneRequest() throws Exception {
		Console admin = Console.login(this, ADMIN);
		String email = newMailbox();
		Map<String, String> fields = fields(admin, email, csrPem(newEcKey("secp256r1"), "CN=x"));
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Callable<HttpResponse<String>>> twice = List.of(() -> admin.post("/ramc/on-behalf", fields, true),
					() -> admin.post("/ramc/on-behalf", fields, true));
			List<Integer> statuses = new java.util.ArrayList<>();
			for (Future<HttpResponse<String>> response : pool.invokeAll(twice)) {
				statuses.add(response.get().statusCode());
			}
			assertThat(statuses).containsOnlyOnce(302).containsAnyOf(409);
		}
		finally {
			pool.shutdownNow();
		}
		HttpResponse<String> later = admin.post("/ramc/on-behalf", fields, true);
		assertThat(later.statusCode()).isEqualTo(409);
		assertThat(later.body()).contains("This form was sent before", requestIdOf(email));
		assertThat(count(email)).isEqualTo(1);
	}

	@Test
	void officersStrangersAndPostsWithoutCsrfAreRefused() {
		String email = newMailbox();
		Console admin = Console.login(this, ADMIN);
		HttpResponse<String> noCsrf = admin.post("/ramc/on-behalf",
				fields(admin, email, csrPem(newEcKey("secp256r1"), "CN=x")), false);
		assertThat(noCsrf.statusCode()).isEqualTo(403);

		Console officer = Console.login(this, OFFICER);
		assertThat(officer.send("/ramc/on-behalf").statusCode()).isEqualTo(403);
		Map<String, String> officerFields = new LinkedHashMap<>(Map.of("formToken", "x", "email", email, "fullName",
				"Ada", "certificateClass", "standard", "csrPem", csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(officer.post("/ramc/on-behalf", officerFields, true).statusCode()).isEqualTo(403);

		HttpResponse<String> stranger = get("/ramc/on-behalf", null);
		assertThat(stranger.statusCode()).isEqualTo(302);
		assertThat(stranger.headers().firstValue("Location").orElse("")).endsWith("/ramc/login");
		assertThat(count(email)).isZero();
	}

	private static Map<String, String> fields(Console admin, String email, String csrPem) {
		return new LinkedHashMap<>(Map.of("formToken", admin.get("/ramc/on-behalf").formToken(), "email", email,
				"fullName", "Ada Applicant", "certificateClass", "standard", "phone", "+44 20 7946 0000",
				"organisation", "Acme", "csrPem", csrPem));
	}

	private int count(String email) {
		return this.jdbc.queryForObject("select count(*) from certificate_request where email = ?", Integer.class,
				email);
	}

	private String requestIdOf(String email) {
		return this.jdbc.queryForObject("select request_id from certificate_request where email = ?", String.class,
				email);
	}

}
