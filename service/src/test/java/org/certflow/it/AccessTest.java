package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Every engine, webapp and admin endpoint needs authentication; roles are kept apart. */
class AccessTest extends IntegrationTest {

	@Autowired
	private IdentityService identity;

	@Test
	void anonymousCallsToEngineRestAreRefused() {
		assertThat(get("/engine-rest/task", null).statusCode()).isEqualTo(401);
		assertThat(get("/engine-rest/process-definition", null).statusCode()).isEqualTo(401);
		assertThat(postJson("/engine-rest/process-definition/key/CertificateRequestProcess/start", "{}", null)
			.statusCode()).isEqualTo(401);
	}

	@Test
	void wrongPasswordIsRefused() {
		// Not a real user: the engine throttles a user's logins after a wrong password,
		// which
		// would slow the other tests' officer.
		HttpResponse<String> response = send(HttpRequest.newBuilder(url("/engine-rest/task"))
			.header("Authorization",
					"Basic " + java.util.Base64.getEncoder().encodeToString("nobody:wrong".getBytes())));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void anonymousCallsToTheWebappApiAreRefused() {
		assertThat(get("/camunda/api/engine/engine/default/task", null).statusCode()).isIn(401, 403);
		assertThat(get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics", null).statusCode())
			.isIn(401, 403);
	}

	@Test
	void adminFirstRunSetupIsClosed() {
		HttpResponse<String> response = postJson("/camunda/api/admin/setup/default/user/create",
				Map.of("profile", Map.of("id", "intruder", "firstName", "I", "lastName", "N", "email", "i@example.org"),
						"credentials", Map.of("password", "intruder-password")),
				null);
		assertThat(response.statusCode()).isIn(401, 403);
		assertThat(this.identity.createUserQuery().userId("intruder").count()).isZero();
	}

	@Test
	void anonymousCallsToTheRaAdminApiAreRefused() {
		assertThat(postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "X", "certificateClass", "standard"), null)
			.statusCode()).isEqualTo(401);
		assertThat(get("/api/v1/requests/anything", null).statusCode()).isEqualTo(401);
	}

	@Test
	void officersCannotUseTheRaAdminApi() {
		HttpResponse<String> response = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "X", "certificateClass", "standard"), OFFICER);
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void officersSeeOnlyTheirQueueAndCannotStartProcesses() {
		HttpResponse<String> start = postJson("/engine-rest/process-definition/key/CertificateRequestProcess/start",
				"{}", OFFICER);
		assertThat(start.statusCode()).isEqualTo(403);
	}

	@Test
	void taskQueriesWithExpressionsAreRefused() {
		HttpResponse<String> response = postJson("/engine-rest/task",
				"{\"orQueries\":[{\"assigneeExpression\":\"${currentUser()}\"}]}", OFFICER);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Expressions");
		assertThat(get("/engine-rest/task?assigneeExpression=%24%7BcurrentUser()%7D", OFFICER).statusCode())
			.isEqualTo(400);
	}

	@Test
	void invitationWithBadDataIsRefusedWithAMessage() {
		HttpResponse<String> badMail = postJson("/api/v1/invitations",
				Map.of("email", "not-an-address", "fullName", "X", "certificateClass", "standard"), ADMIN);
		assertThat(badMail.statusCode()).isEqualTo(400);
		assertThat(body(badMail).get("detail").asText()).contains("Email address cannot go into a certificate");

		HttpResponse<String> badClass = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "X", "certificateClass", "platinum"), ADMIN);
		assertThat(badClass.statusCode()).isEqualTo(400);
		assertThat(body(badClass).get("detail").asText()).contains("Unknown certificate class 'platinum'");

		HttpResponse<String> longName = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "N".repeat(65), "certificateClass", "standard"), ADMIN);
		assertThat(longName.statusCode()).isEqualTo(400);

		HttpResponse<String> notJson = send(authenticated(HttpRequest.newBuilder(url("/api/v1/invitations"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("email=x")), ADMIN));
		assertThat(notJson.statusCode()).isEqualTo(415);
	}

	@Test
	void unknownRequestIsNotFound() {
		HttpResponse<String> response = get("/api/v1/requests/no-such-request", ADMIN);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(body(response).get("detail").asText()).contains("no-such-request");
	}

	@Test
	void tasklistAndOpenApiAreServed() {
		assertThat(get("/camunda/app/tasklist/default/", null).statusCode()).isEqualTo(200);
		HttpResponse<String> openApi = get("/v3/api-docs", null);
		assertThat(openApi.statusCode()).isEqualTo(200);
		assertThat(openApi.body()).contains("/api/v1/invitations", "/api/v1/applications", "/api/v1/activations",
				"/api/v1/requests/{requestId}");
	}

	@Test
	void openApiDescribesOcspOverGetThatAFilterServes() {
		JsonNode paths = body(get("/v3/api-docs", null)).get("paths");
		assertThat(paths.has("/ocsp")).isTrue();
		JsonNode ocspGet = paths.path("/ocsp/{request}").path("get");
		assertThat(ocspGet.isMissingNode()).as("GET /ocsp/{request} in " + paths.fieldNames()).isFalse();
		assertThat(ocspGet.get("parameters").get(0).get("name").asText()).isEqualTo("request");
		assertThat(ocspGet.get("parameters").get(0).get("in").asText()).isEqualTo("path");
		assertThat(ocspGet.path("responses").path("200").path("content").has("application/ocsp-response")).isTrue();
	}

	@Test
	void applicationPageWithoutTokenSaysWhatToDo() {
		HttpResponse<String> page = get("/apply", null);
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("use the link from your invitation mail");
	}

}
