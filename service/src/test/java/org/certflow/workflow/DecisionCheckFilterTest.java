package org.certflow.workflow;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the filter reads from a path and a completion body. */
class DecisionCheckFilterTest {

	private final DecisionCheckFilter filter = new DecisionCheckFilter(null);

	@Test
	void findsTheTaskActionHoweverThePathIsSpelled() {
		for (String path : new String[] { "/engine-rest/task/t-1/complete", "/engine-rest/task/t-1/complete/",
				"/engine-rest//task//t-1//complete", "/engine-rest/task/t-1/complete;jsessionid=1",
				"/engine-rest/task/t-1/%63omplete", "/engine-rest/task/t-1/COMPLETE",
				"/camunda/api/engine/engine/default/task/t-1/complete" }) {
			assertThat(DecisionCheckFilter.action(path)).as(path).containsExactly("t-1", "complete");
		}
		assertThat(DecisionCheckFilter.action("/engine-rest/task/t-1")).containsExactly("t-1", "");
		assertThat(DecisionCheckFilter.action("/engine-rest/task/report/candidate-group-count")).isNull();
		assertThat(DecisionCheckFilter.action("/engine-rest/task/count")).isNull();
		assertThat(DecisionCheckFilter.action("/engine-rest/external-task/t-1/complete")).isNull();
	}

	@Test
	void namesEveryVariableBesideTheDecisionFields() {
		assertThat(
				problem("{\"variables\":{\"decision\":{\"value\":\"approve\"},\"issueImmediately\":{\"value\":false},"
						+ "\"activationValidity\":{\"value\":\"PT1S\"}}}"))
			.contains("refused: activationValidity, issueImmediately.");
	}

	@Test
	void acceptsTheDecisionAsTasklistAndCurlSendIt() {
		assertThat(problem("{\"variables\":{\"decision\":{\"value\":\"approve\",\"type\":\"String\"},"
				+ "\"decisionReason\":{\"value\":null,\"type\":\"Null\",\"valueInfo\":{}}}}"))
			.isNull();
		assertThat(
				problem("{\"variables\":{\"decision\":{\"value\":\"reject\"},\"decisionReason\":{\"value\":\"No\"}}}"))
			.isNull();
	}

	@Test
	void refusesDecisionFieldsThatAreNotPlainText() {
		assertThat(problem("{\"variables\":{\"decision\":{\"value\":\"rO0AB\",\"type\":\"Object\","
				+ "\"valueInfo\":{\"objectTypeName\":\"java.util.HashMap\"}}}}"))
			.contains("decision must be sent as text");
		assertThat(problem("{\"variables\":{\"decision\":{\"value\":[\"approve\"]}}}")).contains("as text");
		assertThat(problem("{\"variables\":{\"decision\":\"approve\"}}")).contains("as text");
		assertThat(problem("[]")).contains("JSON object");
		assertThat(problem("{\"variables\":")).contains("not valid JSON");
	}

	private String problem(String body) {
		return this.filter.problem(body.getBytes(StandardCharsets.UTF_8));
	}

}
