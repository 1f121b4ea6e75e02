package org.certflow.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each spelling that servlet container, Spring and Jersey might read differently. */
class EnginePathGuardTest {

	@ParameterizedTest
	@ValueSource(strings = { "/engine-rest/task/1/complete/", "/engine-rest//task/1/complete",
			"/engine-rest/task/1/complete;jsessionid=x", "/engine-rest/task;x=y/1/complete",
			"/engine-rest/task/1/%63omplete", "/engine-rest/task/1%2Fcomplete", "/engine-rest/task/1/./complete",
			"/engine-rest/task/x/../1/complete", "/engine-rest/task/1/complete%25", "/engine-rest/task/1/complete%",
			"/engine-rest/task/1/complete%zz", "/engine-rest/task\\1\\complete" })
	void refusesEveryOtherSpellingOfAWrite(String path) {
		assertThat(EnginePathGuard.problem("POST", path, null)).isNotNull();
	}

	@Test
	void letsPlainPathsAndEncodedTextThrough() {
		assertThat(EnginePathGuard.problem("POST", "/engine-rest/task/0c8e-11f1/complete", null)).isNull();
		assertThat(EnginePathGuard.problem("GET", "/camunda/api/engine/engine/", null)).isNull();
		assertThat(EnginePathGuard.problem("POST", "/camunda/api/engine/engine/default/task/1/complete/", null))
			.isNotNull();
		assertThat(EnginePathGuard.problem("GET", "/engine-rest/task", "name=Ada%20Lovelace&nameLike=%25Ada%25"))
			.isNull();
		assertThat(EnginePathGuard.problem("GET", "/engine-rest/user/J%C3%BCrgen/profile", null)).isNull();
	}

	@Test
	void refusesMalformedPercentEncodingInTheQuery() {
		assertThat(EnginePathGuard.problem("GET", "/engine-rest/task", "assigneeExpression=%zz")).contains("'%'");
		assertThat(EnginePathGuard.problem("GET", "/engine-rest/task", "name=%4")).contains("'%'");
	}

}
