package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The officer's way through Camunda Tasklist, as its browser code calls the webapp API:
 * log in with the webapp's CSRF token, find the task in the validation queue filter, load
 * the deployed Camunda Form with its variables, and submit the form.
 */
class TasklistTest extends IntegrationTest {

	@Test
	void officerLogsInFindsTheTaskInTheQueueAndSubmitsTheForm() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		Webapp tasklist = login(OFFICER);

		JsonNode filters = tasklist.getJson("/camunda/api/engine/engine/default/filter?resourceType=Task");
		JsonNode queue = null;
		for (JsonNode filter : filters) {
			if ("Validation queue".equals(filter.get("name").asText())) {
				queue = filter;
			}
		}
		assertThat(queue).as("the officer sees the validation queue filter").isNotNull();
		JsonNode listed = tasklist.postJson(
				"/camunda/api/engine/engine/default/filter/" + queue.get("id").asText()
						+ "/list?firstResult=0&maxResults=50",
				"{\"processInstanceBusinessKey\":\"" + requestId + "\"}");
		assertThat(listed.size()).isEqualTo(1);
		String taskId = listed.get(0).get("id").asText();
		assertThat(listed.get(0).get("name").asText()).isEqualTo("Validate application: Ada Applicant <" + email + ">");

		JsonNode form = tasklist.getJson("/camunda/api/engine/engine/default/task/" + taskId + "/deployed-form");
		assertThat(form.get("id").asText()).isEqualTo("validate-application");
		JsonNode variables = tasklist.getJson("/camunda/api/engine/engine/default/task/" + taskId + "/form-variables");
		assertThat(variables.get("applicantEmail").get("value").asText()).isEqualTo(email);

		HttpResponse<String> noReason = tasklist.post(
				"/camunda/api/engine/engine/default/task/" + taskId + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"defer\",\"type\":\"String\"}}}");
		assertThat(noReason.statusCode()).isEqualTo(400);
		assertThat(noReason.body()).contains("A reason is required to defer an application.");

		HttpResponse<String> approved = tasklist.post(
				"/camunda/api/engine/engine/default/task/" + taskId + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"decisionReason\":{\"value\":\"Passport seen\",\"type\":\"String\"}}}");
		assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
		assertThat(awaitStatus(requestId, "ISSUED").get("decidedBy").asText()).isEqualTo(OFFICER);
	}

	@Test
	void tasklistDoorAcceptsOnlyTheDecisionFieldsAndNoVariableWrites() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);
		Webapp tasklist = login(OFFICER);
		String task = "/camunda/api/engine/engine/default/task/" + taskId;
		// As Tasklist does: load the form's variables first, which also hands out the
		// session's CSRF token.
		assertThat(tasklist.getJson(task + "/form-variables").has("decision")).isFalse();

		HttpResponse<String> extra = tasklist.post(task + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"activationValidity\":{\"value\":\"PT1S\",\"type\":\"String\"}}}");
		HttpResponse<String> slash = tasklist.post(task + "/complete/",
				"{\"variables\":{\"decision\":{\"value\":\"approve\"},\"issueImmediately\":{\"value\":false}}}");
		HttpResponse<String> write = tasklist.exchange(tasklist.request(task + "/variables/issueImmediately")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"value\":false,\"type\":\"Boolean\"}")));

		assertThat(extra.statusCode()).as(extra.body()).isEqualTo(400);
		assertThat(extra.body()).contains("activationValidity");
		assertThat(slash.statusCode()).as(slash.body()).isEqualTo(400);
		assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
		assertThat(write.body()).contains("UPDATE_VARIABLE");
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
		JsonNode variables = body(get("/engine-rest/task/" + taskId + "/variables", OFFICER));
		assertThat(variables.has("issueImmediately")).isFalse();
		assertThat(variables.has("activationValidity")).isFalse();
	}

	@Test
	void tasklistCannotSetTheApprovalRouteOrTheEarlierDecisions() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);
		Webapp tasklist = login(OFFICER);
		String task = "/camunda/api/engine/engine/default/task/" + taskId;
		assertThat(tasklist.getJson(task + "/form-variables").get("earlierDecisions").get("value").asText())
			.contains("ROUTED by policy: MANUAL");

		HttpResponse<String> withRoute = tasklist.post(task + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"policyResult\":{\"value\":\"AUTO_APPROVE\",\"type\":\"String\"}}}");
		HttpResponse<String> withHistory = tasklist.post(task + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"approve\",\"type\":\"String\"},"
						+ "\"earlierDecisions\":{\"value\":\"none\",\"type\":\"String\"}}}");
		HttpResponse<String> write = tasklist.exchange(tasklist.request(task + "/variables/policyResult")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"AUTO_APPROVE\",\"type\":\"String\"}")));

		assertThat(withRoute.statusCode()).as(withRoute.body()).isEqualTo(400);
		assertThat(withRoute.body()).contains("policyResult");
		assertThat(withHistory.statusCode()).as(withHistory.body()).isEqualTo(400);
		assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
		assertThat(this.jdbc.queryForObject("select approval_route from certificate_request where request_id = ?",
				String.class, requestId))
			.isEqualTo("MANUAL");
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

	@Test
	void webappLoginWithAWrongPasswordFails() {
		Webapp anonymous = new Webapp(Map.of());
		String xsrf = anonymous.xsrf();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(url("/camunda/api/admin/auth/user/default/login/tasklist"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("X-XSRF-TOKEN", xsrf)
					.header("Cookie", "XSRF-TOKEN=" + xsrf + "; " + anonymous.cookieHeader())
					.POST(HttpRequest.BodyPublishers.ofString("username=nobody&password=wrong")));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	private Webapp login(String user) {
		Webapp webapp = new Webapp(Map.of());
		String xsrf = webapp.xsrf();
		String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(user, StandardCharsets.UTF_8);
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(url("/camunda/api/admin/auth/user/default/login/tasklist"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("X-XSRF-TOKEN", xsrf)
					.header("Cookie", webapp.cookieHeader())
					.POST(HttpRequest.BodyPublishers.ofString(form)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return webapp.with(response.headers().allValues("Set-Cookie"));
	}

	/**
	 * Cookies of a webapp session; they are Secure, so they are carried by hand over
	 * http.
	 */
	private final class Webapp {

		private final Map<String, String> cookies;

		Webapp(Map<String, String> cookies) {
			this.cookies = new LinkedHashMap<>(cookies);
		}

		String xsrf() {
			if (!this.cookies.containsKey("XSRF-TOKEN")) {
				HttpResponse<String> page = send(HttpRequest.newBuilder(url("/camunda/app/tasklist/default/")));
				this.cookies.putAll(with(page.headers().allValues("Set-Cookie")).cookies);
			}
			return this.cookies.get("XSRF-TOKEN");
		}

		Webapp with(List<String> setCookies) {
			Map<String, String> merged = new LinkedHashMap<>(this.cookies);
			for (String setCookie : setCookies) {
				String pair = setCookie.split(";", 2)[0];
				int equals = pair.indexOf('=');
				merged.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return new Webapp(merged);
		}

		String cookieHeader() {
			StringBuilder header = new StringBuilder();
			this.cookies.forEach((name,
					value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
			return header.toString();
		}

		HttpRequest.Builder request(String path) {
			HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
				.header("Accept", "application/json")
				.header("Cookie", cookieHeader());
			if (this.cookies.containsKey("XSRF-TOKEN")) {
				request.header("X-XSRF-TOKEN", this.cookies.get("XSRF-TOKEN"));
			}
			return request;
		}

		// The webapp rotates its CSRF token with the session: keep what each answer sets.
		HttpResponse<String> exchange(HttpRequest.Builder request) {
			HttpResponse<String> response = send(request);
			this.cookies.putAll(with(response.headers().allValues("Set-Cookie")).cookies);
			return response;
		}

		JsonNode getJson(String path) {
			HttpResponse<String> response = exchange(request(path).GET());
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
			return body(response);
		}

		HttpResponse<String> post(String path, String json) {
			return exchange(request(path).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json)));
		}

		JsonNode postJson(String path, String json) {
			HttpResponse<String> response = post(path, json);
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
			return body(response);
		}

	}

}
