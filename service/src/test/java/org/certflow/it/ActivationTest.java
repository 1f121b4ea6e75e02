package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The activation code and PIN: single use, attempts limited, clear answers. */
class ActivationTest extends IntegrationTest {

	@Test
	void fiveWrongPinsLockTheActivationEvenForTheRightPin() {
		String[] activation = issued();
		String wrong = activation[1].equals("00000000") ? "11111111" : "00000000";
		for (int attempt = 1; attempt <= 4; attempt++) {
			HttpResponse<String> response = activate(activation[0], wrong);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
			assertThat(body(response).get("detail").asText()).contains((5 - attempt) + " attempt");
		}
		HttpResponse<String> fifth = activate(activation[0], wrong);
		assertThat(fifth.statusCode()).isEqualTo(423);
		assertThat(body(fifth).get("detail").asText()).contains("locked");

		HttpResponse<String> right = activate(activation[0], activation[1]);
		assertThat(right.statusCode()).isEqualTo(423);
		assertThat(this.jdbc.queryForObject("select failed_attempts from activation where code_hash = ?", Integer.class,
				org.certflow.security.Secrets.hashToken(activation[0])))
			.isEqualTo(5);
	}

	@Test
	void anActivationCodeWorksOnce() {
		String[] activation = issued();
		assertThat(activate(activation[0], activation[1]).statusCode()).isEqualTo(200);

		HttpResponse<String> again = activate(activation[0], activation[1]);

		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(body(again).get("detail").asText()).contains("already been collected");
	}

	@Test
	void unknownActivationCodeIsNotFound() {
		HttpResponse<String> response = activate("no-such-code", "12345678");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(body(response).get("detail").asText()).contains("not valid");
	}

	@Test
	void missingPinIsABadRequestAndCountsNothing() {
		String[] activation = issued();
		HttpResponse<String> response = postJson("/api/v1/activations", Map.of("activationCode", activation[0]), null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(activate(activation[0], activation[1]).statusCode()).isEqualTo(200);
	}

	@Test
	void activationPageAsksForThePinAndDownloadsTheChain() {
		String[] activation = issued();
		HttpResponse<String> page = get("/activate?code=" + activation[0], null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("name=\"pin\"", "name=\"_csrf\"");
		assertThat(get("/activate?code=unknown", null).statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> activate(String code, String pin) {
		return postJson("/api/v1/activations", Map.of("activationCode", code, "pin", pin), null);
	}

	private String[] issued() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		return activation(email);
	}

}
