package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error CertFlow answers itself is an RFC 9457 problem (application/problem+json
 * with type, title, status and a detail a person understands), whichever layer refuses
 * the request: Spring Security, Spring MVC, a filter or our own code. Never Spring's own
 * error JSON, never a 500 for a client's mistake.
 */
class ProblemDetailsTest extends IntegrationTest {

	@Test
	void errorPathCalledDirectlyIsNotFound() {
		JsonNode problem = assertProblem(get("/error", null), 404);
		assertThat(problem.get("detail").asText()).contains("/error");
		assertProblem(send(HttpRequest.newBuilder(url("/error")).method("HEAD", HttpRequest.BodyPublishers.noBody())),
				404, false);
	}

	@Test
	void missingCredentialsAreA401Problem() {
		HttpResponse<String> api = get("/api/v1/requests/any", null);
		assertThat(api.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((v) -> assertThat(v).contains("Basic"));
		assertThat(assertProblem(api, 401).get("detail").asText()).contains("credentials");
		assertProblem(get("/engine-rest/task", null), 401);
		assertProblem(postJson("/api/v1/invitations", Map.of("email", "a@example.org"), null), 401);
		HttpResponse<String> wrongPassword = send(
				HttpRequest.newBuilder(url("/api/v1/requests/any")).header("Authorization", "Basic bm9ib2R5Ondyb25n"));
		assertProblem(wrongPassword, 401);
	}

	@Test
	void missingRightsAreA403Problem() {
		assertThat(assertProblem(get("/api/v1/requests/any", OFFICER), 403).get("detail").asText())
			.contains("not allowed", "rights");
		assertProblem(get("/api/internal", ADMIN), 403);
	}

	@Test
	void unknownPathsAreA404Problem() {
		JsonNode problem = assertProblem(get("/api/v1/no-such-thing", ADMIN), 404);
		assertThat(problem.get("detail").asText()).contains("/api/v1/no-such-thing");
		assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/no-such-thing");
		assertProblem(get("/no/such/page", ADMIN), 404);
		assertProblem(get("/ca/no-such-file.crl", null), 404);
	}

	@Test
	void unknownPathsShowABrowserAPage() {
		HttpResponse<String> page = send(authenticated(
				HttpRequest.newBuilder(url("/no/such/page")).header("Accept", "text/html,application/xhtml+xml"),
				ADMIN));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("There is nothing at /no/such/page");
	}

	@Test
	void wrongMethodIsA405ProblemThatSaysWhichAreAllowed() {
		HttpResponse<String> response = send(
				authenticated(HttpRequest.newBuilder(url("/api/v1/invitations")).DELETE(), ADMIN));
		assertThat(assertProblem(response, 405).get("detail").asText()).contains("DELETE");
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying((v) -> assertThat(v).contains("POST"));
		assertProblem(send(authenticated(HttpRequest.newBuilder(url("/api/v1/applications"))
			.PUT(HttpRequest.BodyPublishers.ofString("{}"))
			.header("Content-Type", "application/json"), ADMIN)), 405);
	}

	@Test
	void wrongMediaTypesAre415And406Problems() {
		HttpResponse<String> notJson = send(authenticated(HttpRequest.newBuilder(url("/api/v1/invitations"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("email=x")), ADMIN));
		assertThat(assertProblem(notJson, 415).get("detail").asText()).contains("application/json");
		HttpResponse<String> noType = send(
				HttpRequest.newBuilder(url("/api/v1/applications")).POST(HttpRequest.BodyPublishers.ofString("{}")));
		assertProblem(noType, 415);

		HttpResponse<String> csvOnly = send(
				authenticated(HttpRequest.newBuilder(url("/api/v1/requests/any")).header("Accept", "text/csv"), ADMIN));
		assertThat(assertProblem(csvOnly, 406).get("detail").asText()).contains("application/json");
	}

	@Test
	void unreadableAndMissingBodiesAre400Problems() {
		assertThat(assertProblem(postJson("/api/v1/invitations", "{\"email\": ", ADMIN), 400).get("detail").asText())
			.contains("not valid JSON");
		assertProblem(postJson("/api/v1/invitations", "", ADMIN), 400);
		assertProblem(postJson("/api/v1/invitations", "[1,2]", ADMIN), 400);
		assertProblem(postJson("/api/v1/activations", "{\"activationCode\": {\"nested\": 1}}", null), 400);
		assertThat(assertProblem(postJson("/api/v1/invitations", "{}", ADMIN), 400).get("detail").asText())
			.contains("required");
	}

	@Test
	void oversizedBodiesAre413Problems() {
		assertProblem(postJson("/api/v1/invitations", "{\"email\":\"" + "a".repeat(70 * 1024) + "\"}", ADMIN), 413);
		HttpResponse<String> ocsp = send(HttpRequest.newBuilder(url("/ocsp"))
			.header("Content-Type", "application/ocsp-request")
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024])));
		assertProblem(ocsp, 413);
	}

	@Test
	void problemsAreProblemsWhateverTheClientAccepts() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/activations"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/pem-certificate-chain")
			.POST(HttpRequest.BodyPublishers.ofString("{\"activationCode\":\"nope\",\"pin\":\"1\"}")));
		assertProblem(response, 404);
	}

	private JsonNode assertProblem(HttpResponse<String> response, int status) {
		return assertProblem(response, status, true);
	}

	private JsonNode assertProblem(HttpResponse<String> response, int status, boolean hasBody) {
		assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).as(response.uri().toString())
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		if (!hasBody) {
			return null;
		}
		JsonNode problem = body(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asText()).isNotBlank();
		assertThat(problem.has("type")).as("type").isTrue();
		assertThat(problem.get("detail").asText()).as("a message for a person").isNotBlank();
		assertThat(problem.has("trace")).isFalse();
		assertThat(problem.has("timestamp")).as("Spring's default error body").isFalse();
		return problem;
	}

}
