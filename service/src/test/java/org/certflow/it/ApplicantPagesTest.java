package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-rendered applicant pages: forms carry a CSRF token, a post without it is
 * refused, a bad CSR is shown back with the reason and stores nothing, a good one is
 * accepted.
 */
class ApplicantPagesTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Test
	void applicationFormWithoutCsrfTokenIsRefused() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);

		HttpResponse<String> response = postForm("/apply", null,
				Map.of("token", token, "fullName", "Ada Applicant", "csrPem", csrPem(newEcKey("secp256r1"), "CN=x")));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).as("says what to do").contains("reload the page");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
	}

	@Test
	void applicationFormShowsTheReasonForABadCsrAndAcceptsAGoodOne() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session session = open("/apply?token=" + token);
		assertThat(session.page).contains(email, "name=\"csrPem\"");

		HttpResponse<String> refused = postForm("/apply", session,
				Map.of("token", token, "fullName", "Ada Applicant", "csrPem", "this is not a CSR"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("class=\"error\"", "CERTIFICATE REQUEST");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		HttpResponse<String> accepted = postForm("/apply", session,
				Map.of("token", token, "fullName", "Ada Applicant", "csrPem", csrPem(newEcKey("secp256r1"), "CN=x")));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
		assertThat(accepted.body()).contains("Application submitted", requestId, "ECDSA P-256");
	}

	@Test
	void applicationFormFollowsTheClass() {
		String standard = newMailbox();
		invite(standard);
		Session optional = open("/apply?token=" + invitationToken(standard));
		assertThat(optional.page).contains("Phone number (optional)", "RSA-2048, RSA-3072, RSA-4096, EC-P256, EC-P384")
			.doesNotContain("required for this class");

		String assured = newMailbox();
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", assured, "fullName", "Ada Applicant", "certificateClass", "high-assurance"), ADMIN);
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		Session required = open("/apply?token=" + invitationToken(assured));
		assertThat(required.page)
			.contains("High assurance, dual control", "Phone number (required for this class)",
					"RSA-3072, RSA-4096, EC-P256, EC-P384")
			.containsPattern("name=\"phone\"[^>]*required");
	}

	@Test
	void applicationFormTakesAnOptionalPhoneAndShowsAnUnreadableOneBack() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Session session = open("/apply?token=" + token);
		assertThat(session.page).contains("name=\"phone\"");
		String csr = csrPem(newEcKey("secp256r1"), "CN=x");

		HttpResponse<String> refused = postForm("/apply", session,
				Map.of("token", token, "fullName", "Ada Applicant", "csrPem", csr, "phone", "ring me"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("class=\"error\"", "Phone number must be", "value=\"ring me\"");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		HttpResponse<String> accepted = postForm("/apply", session,
				Map.of("token", token, "fullName", "Ada Applicant", "csrPem", csr, "phone", "+41 44 123 45 67"));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
		assertThat(this.jdbc.queryForObject("select phone from certificate_request where request_id = ?", String.class,
				requestId))
			.isEqualTo("+41 44 123 45 67");
		// The officer sees it, read-only, to call back before deciding.
		awaitStatus(requestId, "PENDING_VALIDATION");
		JsonNode variables = body(get("/engine-rest/task/" + officerTaskId(requestId) + "/form-variables", OFFICER));
		assertThat(variables.get("applicantContact").get("value").asText()).isEqualTo("Phone +41 44 123 45 67");
	}

	@Test
	void activationFormRefusesAWrongPinAndDownloadsTheChainForTheRightOne() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		Session session = open("/activate?code=" + activation[0]);

		HttpResponse<String> wrong = postForm("/activate", session, Map.of("code", activation[0], "pin", "1"));
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).contains("The PIN is wrong. 4 attempts left.");

		HttpResponse<String> right = postForm("/activate", session,
				Map.of("code", activation[0], "pin", activation[1]));
		assertThat(right.statusCode()).isEqualTo(200);
		assertThat(right.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				(disposition) -> assertThat(disposition).contains("attachment", "certificate-chain.pem"));
		assertThat(right.body()).startsWith("-----BEGIN CERTIFICATE-----");
		awaitStatus(requestId, "COLLECTED");
	}

	private Session open(String path) {
		HttpResponse<String> page = get(path, null);
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("page carries a CSRF token").isTrue();
		// The session cookie is Secure; a browser sends it to http://localhost,
		// java.net.http
		// does not, so the test carries it by hand.
		String cookie = page.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		return new Session(page.body(), csrf.group(1), cookie);
	}

	private HttpResponse<String> postForm(String path, Session session, Map<String, String> fields) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
			.header("Content-Type", "application/x-www-form-urlencoded");
		if (session != null) {
			all.put("_csrf", session.csrf);
			request.header("Cookie", session.cookie);
		}
		String form = all.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(request.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private record Session(String page, String csrf, String cookie) {
	}

}
