package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
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
	void activationNamesTheCertificateCountsWrongPinsAndThenShowsTheSuccessPageWithItsDownloads() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		Session session = open("/activate?code=" + activation[0]);
		assertThat(session.page).contains("Ada Applicant", email, "standard");

		HttpResponse<String> wrong = postForm("/activate", session, Map.of("code", activation[0], "pin", "1"));
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).contains("The PIN is wrong. 4 attempts left.", "Ada Applicant");

		HttpResponse<String> right = postForm("/activate", session,
				Map.of("code", activation[0], "pin", activation[1]));
		assertThat(right.statusCode()).isEqualTo(303);
		assertThat(right.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/activate/done"));
		// The session id changes with the PIN: the id the page had before cannot reach
		// the downloads.
		String cookie = right.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		assertThat(cookie).isNotEqualTo(session.cookie);
		awaitStatus(requestId, "COLLECTED");

		HttpResponse<String> done = getWithCookie("/activate/done", cookie);
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("Your certificate is ready", "CN=Ada Applicant")
			.doesNotContain("The PIN is wrong");
		HttpResponse<String> pem = getWithCookie("/activate/certificate.pem", cookie);
		assertThat(pem.statusCode()).isEqualTo(200);
		assertThat(pem.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				(disposition) -> assertThat(disposition).contains("attachment", "certificate-chain.pem"));
		List<X509Certificate> chain = certificates(pem.body().getBytes(StandardCharsets.US_ASCII));
		assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
		assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=Ada Applicant");

		HttpResponse<byte[]> der = sendBytes(
				HttpRequest.newBuilder(url("/activate/certificate.der")).header("Cookie", cookie));
		assertThat(der.statusCode()).isEqualTo(200);
		assertThat(certificates(der.body())).containsExactly(chain.get(0));
		HttpResponse<byte[]> p7b = sendBytes(
				HttpRequest.newBuilder(url("/activate/certificate.p7b")).header("Cookie", cookie));
		assertThat(p7b.statusCode()).isEqualTo(200);
		List<java.security.cert.Certificate> fromPkcs7 = List.copyOf(CertificateFactory.getInstance("X.509")
			.generateCertPath(new ByteArrayInputStream(p7b.body()), "PKCS7")
			.getCertificates());
		assertThat(fromPkcs7).containsExactlyElementsOf(List.copyOf(chain));

		// Another browser (the old session, or none) gets nothing.
		assertThat(getWithCookie("/activate/certificate.pem", session.cookie).statusCode()).isEqualTo(410);
		assertThat(get("/activate/done", null).statusCode()).isEqualTo(410);
		// The spent code says so, instead of a wrong-PIN banner.
		HttpResponse<String> again = postForm("/activate", open2(session, cookie),
				Map.of("code", activation[0], "pin", activation[1]));
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("already been collected").doesNotContain("The PIN is wrong");
	}

	private static Session open2(Session before, String cookie) {
		return new Session(before.page, before.csrf, cookie);
	}

	private HttpResponse<String> getWithCookie(String path, String cookie) {
		return send(HttpRequest.newBuilder(url(path)).header("Cookie", cookie).GET());
	}

	private static List<X509Certificate> certificates(byte[] encoded) throws Exception {
		List<X509Certificate> out = new java.util.ArrayList<>();
		for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(encoded))) {
			out.add((X509Certificate) c);
		}
		return out;
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
