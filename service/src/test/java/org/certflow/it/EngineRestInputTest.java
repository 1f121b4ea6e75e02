package org.certflow.it;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the engine REST API and the webapps' engine API, as an officer can send
 * it: always a 4xx with a message, never a 500, and nothing changed.
 */
class EngineRestInputTest extends IntegrationTest {

	private static final String SERIALIZED_MAP = "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3Rvckk"
			+ "ACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAAAeA==";

	private static final String SERIALIZED_VARIABLE = "{\"value\":\"" + SERIALIZED_MAP
			+ "\",\"type\":\"Object\",\"valueInfo\":{\"serializationDataFormat\":"
			+ "\"application/x-java-serialized-object\",\"objectTypeName\":\"java.util.HashMap\"}}";

	@Autowired
	private TaskService taskService;

	@Autowired
	private RuntimeService runtime;

	@Test
	void malformedPercentEncodingIsABadRequestAtBothDoors() {
		for (String path : List.of("/engine-rest/task?assigneeExpression=%zz", "/engine-rest/task?name=%",
				"/camunda/api/engine/engine/default/task?assigneeExpression=%zz")) {
			String[] response = rawGet(path, OFFICER);
			assertThat(response[0]).as(path + ": " + response[1]).isEqualTo("400");
			JsonNode problem = body(response[1]);
			assertThat(problem.get("status").asInt()).isEqualTo(400);
			assertThat(problem.get("detail").asText()).contains("'%'");
			assertThat(problem.get("message").asText()).isEqualTo(problem.get("detail").asText());
		}
		// Tomcat refuses a malformed path itself, before any filter.
		assertThat(rawGet("/engine-rest/task/%zz/variables", OFFICER)[0]).isEqualTo("400");
	}

	/**
	 * A GET written on the wire as given: Java's HTTP client refuses to send a malformed
	 * URI at all.
	 * @return status code and body
	 */
	private String[] rawGet(String path, String user) {
		try (Socket socket = new Socket("localhost", this.port)) {
			String credentials = Base64.getEncoder()
				.encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + credentials
						+ "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String status = response.substring(9, 12);
			String rest = response.substring(response.indexOf("\r\n\r\n") + 4);
			// The body may come chunked: keep from the first brace to the last.
			int start = rest.indexOf('{');
			return new String[] { status, (start >= 0) ? rest.substring(start, rest.lastIndexOf('}') + 1) : rest };
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode body(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (IOException ex) {
			throw new AssertionError("Not JSON: " + text, ex);
		}
	}

	@Test
	void trailingSlashOnACompletionIsABadRequestAndDecidesNothing() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		HttpResponse<String> response = postJson("/engine-rest/task/" + taskId + "/complete/",
				Map.of("variables", Map.of("decision", Map.of("value", "reject"))), OFFICER);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(body(response).get("detail").asText()).contains("trailing slash");
		assertOpen(requestId, taskId);
	}

	@Test
	void serializedJavaObjectIsABadRequestOrForbiddenNeverAServerError() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		HttpResponse<String> asDecision = postJson("/engine-rest/task/" + taskId + "/complete",
				"{\"variables\":{\"decision\":" + SERIALIZED_VARIABLE + "}}", OFFICER);
		HttpResponse<String> asReason = postJson("/engine-rest/task/" + taskId + "/submit-form",
				"{\"variables\":{\"decision\":{\"value\":\"reject\"},\"decisionReason\":" + SERIALIZED_VARIABLE + "}}",
				OFFICER);
		HttpResponse<String> asVariable = send(
				authenticated(HttpRequest.newBuilder(url("/engine-rest/task/" + taskId + "/variables/payload"))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString(SERIALIZED_VARIABLE)), OFFICER));

		assertThat(asDecision.statusCode()).as(asDecision.body()).isEqualTo(400);
		assertThat(body(asDecision).get("message").asText()).contains("decision must be sent as text");
		assertThat(asReason.statusCode()).as(asReason.body()).isEqualTo(400);
		assertThat(body(asReason).get("message").asText()).contains("decisionReason");
		assertThat(asVariable.statusCode()).as(asVariable.body()).isEqualTo(403);
		assertOpen(requestId, taskId);
		assertThat(this.runtime
			.getVariables(this.taskService.createTaskQuery().taskId(taskId).singleResult().getProcessInstanceId()))
			.doesNotContainKey("payload");
	}

	@Test
	void malformedOrMistypedBodiesAreBadRequests() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		for (String body : List.of("{\"variables\":", "[1,2]", "{\"variables\":[\"decision\"]}",
				"{\"variables\":{\"decision\":{\"value\":1e999999}}}", "{\"variables\":{\"decision\":\"approve\"}}")) {
			HttpResponse<String> response = postJson("/engine-rest/task/" + taskId + "/complete", body, OFFICER);
			assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
		}
		HttpResponse<String> xml = send(
				authenticated(HttpRequest.newBuilder(url("/engine-rest/task/" + taskId + "/complete"))
					.header("Content-Type", "text/xml")
					.POST(HttpRequest.BodyPublishers.ofString("<decision>approve</decision>")), OFFICER));
		assertThat(xml.statusCode()).as(xml.body()).isBetween(400, 499);
		for (String query : List.of("{\"priority\":99999999999999999999999}", "{\"dueAfter\":\"soon\"}", "{")) {
			HttpResponse<String> response = postJson("/engine-rest/task", query, OFFICER);
			assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
		}
		assertThat(get("/engine-rest/task?maxResults=99999999999999999999", OFFICER).statusCode()).isBetween(400, 499);
		assertOpen(requestId, taskId);
	}

	@Test
	void unknownIdsAreNotFound() {
		for (String action : List.of("complete", "submit-form", "resolve", "claim", "delegate")) {
			HttpResponse<String> response = postJson("/engine-rest/task/no-such-task/" + action,
					"{\"userId\":\"officer\",\"variables\":{}}", OFFICER);
			assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(404);
			assertThat(body(response).get("message").asText()).contains("no-such-task");
		}
		for (String path : List.of("/engine-rest/task/no-such-task/variables",
				"/engine-rest/task/no-such-task/deployed-form", "/engine-rest/task/no-such-task/rendered-form",
				"/engine-rest/task/no-such-task/identity-links",
				"/engine-rest/process-instance/no-such-instance/variables",
				"/engine-rest/execution/no-such-execution/localVariables")) {
			HttpResponse<String> response = get(path, OFFICER);
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
		}
	}

	@Test
	void anonymousCallersHearOnlyThatTheyMustLogIn() {
		HttpResponse<String> webapp = postJson("/camunda/api/engine/engine/default/task/no-such-task/complete",
				"{\"variables\":{\"issueImmediately\":{\"value\":false}}}", null);
		HttpResponse<String> rest = postJson("/engine-rest/task/no-such-task/complete",
				"{\"variables\":{\"issueImmediately\":{\"value\":false}}}", null);

		assertThat(webapp.statusCode()).as(webapp.body()).isIn(401, 403);
		assertThat(webapp.body()).doesNotContain("no-such-task;", "issueImmediately");
		assertThat(rest.statusCode()).as(rest.body()).isEqualTo(401);
	}

	private void assertOpen(String requestId, String taskId) {
		assertThat(this.taskService.createTaskQuery().taskId(taskId).count()).as("task still open").isOne();
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

}
