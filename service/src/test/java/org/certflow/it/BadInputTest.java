package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong input at each door: a clear 4xx with a message a person understands, and nothing
 * stored half-way (the invitation stays usable and the request stays INVITED after a
 * refused submit).
 */
class BadInputTest extends IntegrationTest {

	private String email;

	private String requestId;

	private String token;

	@BeforeEach
	void invited() {
		this.email = newMailbox();
		this.requestId = invite(this.email);
		this.token = invitationToken(this.email);
	}

	@Test
	void refusesMalformedCsr() {
		String garbage = "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n";
		assertRefused(submit(this.token, garbage, this.email), 400);
	}

	@Test
	void refusesTruncatedCsr() {
		String pem = csrPem(rsaKey(), "CN=x");
		String truncated = pem.substring(0, pem.length() / 2) + "\n-----END CERTIFICATE REQUEST-----\n";
		assertRefused(submit(this.token, truncated, this.email), 400);
	}

	@Test
	void refusesWrongPemLabel() {
		String pem = csrPem(rsaKey(), "CN=x").replace("CERTIFICATE REQUEST", "CERTIFICATE");
		JsonNode problem = assertRefused(submit(this.token, pem, this.email), 400);
		assertThat(problem.get("detail").asText()).containsIgnoringCase("CERTIFICATE REQUEST");
	}

	@Test
	void refusesCsrWhoseSignatureDoesNotVerify() throws Exception {
		byte[] der = csr(rsaKey(), "CN=x").getEncoded();
		der[der.length - 5] ^= 0x01;
		String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
				+ "\n-----END CERTIFICATE REQUEST-----\n";
		JsonNode problem = assertRefused(submit(this.token, pem, this.email), 422);
		assertThat(problem.get("detail").asText()).containsIgnoringCase("signature");
	}

	@Test
	void refusesRsaKeyBelow2048Bits() {
		KeyPair weak = newRsaKey(1024);
		JsonNode problem = assertRefused(submit(this.token, csrPem(weak, "CN=x"), this.email), 422);
		assertThat(problem.get("detail").asText()).contains("2048");
	}

	@Test
	void refusesBodyOver64KibWith413() {
		String huge = csrPem(rsaKey(), "CN=x") + "x".repeat(70 * 1024);
		assertRefused(submit(this.token, huge, this.email), 413);
	}

	@Test
	void refusesChunkedBodyOver64KibWith413() {
		byte[] huge = ("{\"invitationToken\":\"" + this.token + "\",\"csrPem\":\"" + "A".repeat(80 * 1024) + "\"}")
			.getBytes();
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/applications"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))));
		assertRefused(response, 413);
	}

	@Test
	void refusesUnknownInvitationToken() {
		assertRefused(submit("not-a-token-we-made", csrPem(rsaKey(), "CN=x"), this.email), 404);
	}

	@Test
	void refusesUsedInvitationToken() {
		assertThat(submit(this.token, csrPem(rsaKey(), "CN=x"), this.email).statusCode()).isEqualTo(202);
		JsonNode problem = body(submit(this.token, csrPem(rsaKey(), "CN=x"), this.email));
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("detail").asText()).contains("already been used");
	}

	@Test
	void refusesApplicationForARequestThatIsNoLongerOpen() {
		this.jdbc.update("update certificate_request set status = 'EXPIRED' where request_id = ?", this.requestId);
		HttpResponse<String> response = submit(this.token, csrPem(rsaKey(), "CN=x"), this.email);
		// Expired for good: gone, not a conflict the applicant could resolve.
		assertThat(response.statusCode()).isEqualTo(410);
		assertThat(body(response).get("detail").asText()).contains("no longer open");
		this.jdbc.update("update certificate_request set status = 'INVITED' where request_id = ?", this.requestId);
	}

	@Test
	void refusesExpiredInvitationToken() {
		this.jdbc.update("update invitation set expires_at = ? where request_id = ?",
				java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), this.requestId);
		JsonNode problem = assertRefused(submit(this.token, csrPem(rsaKey(), "CN=x"), this.email), 410);
		assertThat(problem.get("detail").asText()).contains("expired");
	}

	@Test
	void refusesEmailOtherThanTheInvitedOne() {
		assertRefused(submit(this.token, csrPem(rsaKey(), "CN=x"), "someone-else@example.org"), 400);
	}

	@Test
	void refusesNameWithBidiControlCharacters() {
		HttpResponse<String> response = postJson("/api/v1/applications", Map.of("invitationToken", this.token, "csrPem",
				csrPem(rsaKey(), "CN=x"), "fullName", "Ada \u202EnaciL", "email", this.email), null);
		assertRefused(response, 400);
	}

	@Test
	void refusesBodyThatIsNotJson() {
		assertRefused(postJson("/api/v1/applications", "{not json", null), 400);
	}

	@Test
	void openingTheInvitationLinkDoesNotConsumeIt() {
		HttpResponse<String> page = get("/apply?token=" + this.token, null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(page.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("default-src 'self'"));
		assertThat(page.body()).contains(this.email);
		assertThat(get("/apply?token=" + this.token, null).statusCode()).isEqualTo(200);
		assertThat(submit(this.token, csrPem(rsaKey(), "CN=x"), this.email).statusCode()).isEqualTo(202);
		assertThat(get("/apply?token=" + this.token, null).statusCode()).isEqualTo(409);
	}

	private JsonNode assertRefused(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode problem = body(response);
		assertThat(problem.get("detail").asText()).as("a message for a person").isNotBlank();
		if (status != 409) {
			// Nothing was stored: the request is still waiting and its invitation unused.
			JsonNode request = request(this.requestId);
			assertThat(request.get("status").asText()).isEqualTo("INVITED");
			assertThat(request.get("keyDescription").isNull()).isTrue();
			assertThat(this.jdbc.queryForObject(
					"select count(*) from invitation where request_id = ? and consumed_at " + "is null", Integer.class,
					this.requestId))
				.isEqualTo(1);
		}
		return problem;
	}

}
