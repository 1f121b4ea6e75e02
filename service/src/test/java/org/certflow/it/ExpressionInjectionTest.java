package org.certflow.it;

import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No expression in a task or filter query is ever evaluated, through any door and in any
 * spelling. Each attack carries an expression that would create a marker file; the file
 * must never appear, and the answer is a 400 that says why.
 */
class ExpressionInjectionTest extends IntegrationTest {

	@Autowired
	private ProcessEngine engine;

	@Autowired
	private TaskService taskService;

	@Autowired
	private FilterService filterService;

	private Path marker;

	@BeforeEach
	void marker() throws Exception {
		this.marker = Files.createTempDirectory("certflow-expression-").resolve("evaluated");
	}

	@AfterEach
	void nothingWasEvaluated() throws Exception {
		assertThat(this.marker).as("an expression was evaluated").doesNotExist();
		Files.deleteIfExists(this.marker);
		Files.deleteIfExists(this.marker.getParent());
	}

	/** An expression that creates the marker file when the engine evaluates it. */
	private String markerExpression(char start) {
		return start + "{''.getClass().forName('java.io.File').getConstructor(''.getClass()).newInstance('"
				+ this.marker + "').createNewFile()}";
	}

	/** The same, with the leading character written as a JSON escape. */
	private String jsonEscaped(char start) {
		return String.format("\\u%04x", (int) start) + markerExpression(start).substring(1);
	}

	@Test
	void theMarkerExpressionWorksWhenTheEngineEvaluatesIt() throws Exception {
		// Without this the other tests could pass with an expression that does nothing.
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) this.engine
			.getProcessEngineConfiguration();
		configuration.getCommandExecutorTxRequired()
			.execute((context) -> configuration.getExpressionManager()
				.createExpression(markerExpression('$'))
				.getValue(null));
		assertThat(this.marker).exists();
		Files.delete(this.marker);
	}

	@Test
	void refusesJsonEscapedExpressionInOrQueriesOnEngineRest() {
		String body = "{\"orQueries\":[{\"assigneeExpression\":\"" + jsonEscaped('$') + "\"}]}";
		assertRefused(postJson("/engine-rest/task", body, OFFICER));
		assertRefused(postJson("/engine-rest/task/count", body, OFFICER));
		assertRefused(postJson("/engine-rest/task?firstResult=0&maxResults=10", body, OFFICER));
	}

	@Test
	void refusesHashExpressionsAndExpressionsInOrdinaryFields() {
		assertRefused(postJson("/engine-rest/task",
				"{\"orQueries\":[{\"candidateUserExpression\":\"" + jsonEscaped('#') + "\"}]}", OFFICER));
		assertRefused(postJson("/engine-rest/task",
				"{\"orQueries\":[{\"orQueries\":[{\"nameLike\":\"" + jsonEscaped('$') + "\"}]}]}", OFFICER));
		assertRefused(postJson("/engine-rest/task", "{\"dueAfterExpression\":\"" + jsonEscaped('$') + "\"}", OFFICER));
	}

	@Test
	void refusesUrlEncodedExpressionsInQueryParameters() {
		String encoded = URLEncoder.encode(markerExpression('$'), StandardCharsets.UTF_8);
		assertRefused(get("/engine-rest/task?assigneeExpression=" + encoded, OFFICER));
		assertRefused(get("/engine-rest/task/count?candidateGroupExpression="
				+ URLEncoder.encode(markerExpression('#'), StandardCharsets.UTF_8), OFFICER));
		assertRefused(get("/engine-rest/engine/default/task?nameLike=" + encoded, OFFICER));
		// A non-canonical spelling of the path is refused before any query is judged.
		HttpResponse<String> doubleSlash = get("/engine-rest//task/?assigneeExpression=" + encoded, OFFICER);
		assertThat(doubleSlash.statusCode()).as(doubleSlash.body()).isEqualTo(400);
		assertThat(this.marker).as("an expression was evaluated").doesNotExist();
	}

	@Test
	void refusesAQueryStringThatIsNotValidUrlEncoding() throws Exception {
		// Java's HTTP client will not send such a URI: write the request by hand.
		try (Socket socket = new Socket("localhost", this.port)) {
			String credentials = Base64.getEncoder().encodeToString("officer:officer".getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream()
				.write(("GET /engine-rest/task?assigneeExpression=%zz HTTP/1.1\r\nHost: localhost\r\n"
						+ "Authorization: Basic " + credentials + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			// Refused by the first wall (EnginePathGuard) or, behind it, by this guard.
			assertThat(response).startsWith("HTTP/1.1 400").containsAnyOf("not valid URL encoding", "'%'");
		}
	}

	@Test
	void refusesExpressionsInFormBodies() {
		HttpResponse<String> response = send(authenticated(
				HttpRequest.newBuilder(url("/engine-rest/task"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(
							"assigneeExpression=" + URLEncoder.encode(markerExpression('$'), StandardCharsets.UTF_8))),
				OFFICER));
		assertRefused(response);
	}

	@Test
	void refusesMalformedJsonOnAQueryEndpoint() {
		HttpResponse<String> response = postJson("/engine-rest/task", "{\"orQueries\":[{", OFFICER);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(body(response).get("detail").asText()).contains("not valid JSON");
	}

	@Test
	void refusesFiltersThatCarryExpressionsAndExpressionsThatExtendAFilter() {
		String query = "{\"orQueries\":[{\"assigneeExpression\":\"" + jsonEscaped('$') + "\"}]}";
		assertRefused(postJson("/engine-rest/filter/create",
				"{\"resourceType\":\"Task\",\"name\":\"Sneaky\",\"query\":" + query + "}", ADMIN));
		String queue = validationQueueId();
		assertRefused(postJson("/engine-rest/filter/" + queue + "/list", query, OFFICER));
		assertRefused(postJson("/engine-rest/filter/" + queue + "/count", query, OFFICER));
		assertRefused(get("/engine-rest/filter/" + queue + "/list?assigneeExpression="
				+ URLEncoder.encode(markerExpression('$'), StandardCharsets.UTF_8), OFFICER));
	}

	@Test
	void refusesExpressionsThroughTheWebappApi() {
		WebappSession tasklist = WebappSession.login(this, OFFICER);
		String query = "{\"orQueries\":[{\"assigneeExpression\":\"" + jsonEscaped('$') + "\"}]}";
		assertRefused(tasklist.postJson("/camunda/api/engine/engine/default/task", query));
		assertRefused(tasklist.postJson("/camunda/api/engine/engine/default/task/count", query));
		assertRefused(
				tasklist.postJson("/camunda/api/engine/engine/default/filter/" + validationQueueId() + "/list", query));
		assertRefused(tasklist.get("/camunda/api/engine/engine/default/task?assigneeExpression="
				+ URLEncoder.encode(markerExpression('$'), StandardCharsets.UTF_8)));
		// The session still works for honest queries.
		assertThat(tasklist.postJson("/camunda/api/engine/engine/default/task", "{}").statusCode()).isEqualTo(200);
	}

	@Test
	void honestQueriesStillWork() {
		assertThat(
				postJson("/engine-rest/task", "{\"orQueries\":[{\"nameLike\":\"%Validate%\"}]}", OFFICER).statusCode())
			.isEqualTo(200);
		assertThat(get("/engine-rest/task/count?nameLike=%25Validate%25", OFFICER).statusCode()).isEqualTo(200);
	}

	// --- inside the engine, with the HTTP guard out of the way

	@Test
	void engineRefusesExpressionsInOrQueriesThroughTheJavaApi() {
		assertThatThrownBy(() -> this.taskService.createTaskQuery()
			.or()
			.taskAssigneeExpression(markerExpression('$'))
			.endOr()
			.list()).isInstanceOf(BadUserRequestException.class).hasMessageContaining("taskAssignee");
		assertThatThrownBy(() -> this.taskService.createTaskQuery()
			.or()
			.taskCandidateGroupExpression(markerExpression('#'))
			.taskName("x")
			.endOr()
			.count()).isInstanceOf(BadUserRequestException.class);
		assertThatThrownBy(() -> this.taskService.createTaskQuery().dueAfterExpression(markerExpression('$')).list())
			.isInstanceOf(BadUserRequestException.class);
	}

	@Test
	void engineRefusesSavingAFilterWithAnExpression() {
		Filter filter = this.filterService.newTaskFilter("Sneaky " + UUID.randomUUID())
			.setQuery(this.taskService.createTaskQuery().or().taskAssigneeExpression(markerExpression('$')).endOr());
		assertThatThrownBy(() -> this.filterService.saveFilter(filter)).isInstanceOf(BadUserRequestException.class);
	}

	@Test
	void engineRefusesToRunAStoredFilterOrAnExtensionThatCarriesAnExpression() {
		String queue = validationQueueId();
		assertThatThrownBy(() -> this.filterService.list(queue,
				this.taskService.createTaskQuery().or().taskAssigneeExpression(markerExpression('$')).endOr()))
			.isInstanceOf(BadUserRequestException.class);

		// A filter stored before the check existed (written straight to the table).
		Filter honest = this.filterService.newTaskFilter("Stored long ago " + UUID.randomUUID())
			.setQuery(this.taskService.createTaskQuery().taskName("x"));
		String id = this.filterService.saveFilter(honest).getId();
		try {
			this.jdbc.update("update ACT_RU_FILTER set QUERY_ = ? where ID_ = ?",
					"{\"orQueries\":[{\"taskAssigneeExpression\":\"" + markerExpression('$') + "\"}]}", id);
			assertThatThrownBy(() -> this.filterService.list(id)).isInstanceOf(BadUserRequestException.class);
			assertThatThrownBy(() -> this.filterService.count(id)).isInstanceOf(BadUserRequestException.class);
		}
		finally {
			this.filterService.deleteFilter(id);
		}
	}

	// --- data is not a query

	@Test
	void aRejectionReasonThatLooksLikeAnExpressionIsAccepted() {
		String requestId = submittedRequest(newMailbox());
		HttpResponse<String> rejected = decide(requestId, "reject", "Documents say ${100} and #{200}");
		assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(204);
		awaitStatus(requestId, "REJECTED");
		assertThat(this.marker).doesNotExist();
	}

	private String validationQueueId() {
		HttpResponse<String> filters = get("/engine-rest/filter?resourceType=Task", OFFICER);
		for (JsonNode filter : body(filters)) {
			if ("Validation queue".equals(filter.get("name").asText())) {
				return filter.get("id").asText();
			}
		}
		throw new AssertionError("no validation queue filter: " + filters.body());
	}

	private void assertRefused(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("Expressions are not allowed");
		assertThat(this.marker).as("an expression was evaluated").doesNotExist();
	}

}
