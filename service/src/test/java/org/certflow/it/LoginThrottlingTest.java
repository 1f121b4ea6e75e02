package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong passwords slow a guesser down but never lock the real user out for long, and an
 * administrator can release a user at once. Uses throwaway users: the demo users are
 * shared by the other tests.
 */
class LoginThrottlingTest extends IntegrationTest {

	private static final String PASSWORD = "right-password-1";

	@Autowired
	private IdentityService identity;

	private String user;

	@BeforeEach
	void throwawayUser() {
		this.user = "throwaway" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User created = this.identity.newUser(this.user);
		created.setPassword(PASSWORD);
		this.identity.saveUser(created);
	}

	@AfterEach
	void removeUser() {
		this.identity.deleteUser(this.user);
	}

	@Test
	void twentyWrongPasswordsOverFortySecondsThenTheRightOneWorksWithinAMinute() throws Exception {
		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> throttled = null;
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> response = engineRest(this.user, "wrong-" + i);
			statuses.add(response.statusCode());
			if (response.statusCode() == 429) {
				throttled = response;
			}
			Thread.sleep(2000);
		}
		assertThat(statuses).containsOnly(401, 429).contains(429);
		assertThat(throttled.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
		assertThat(throttled.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(body(throttled).get("status").asInt()).isEqualTo(429);
		assertThat(body(throttled).get("detail").asText()).contains("Try again in");

		// Not locked in the engine, neither for good nor for a while.
		Map<String, Object> row = this.jdbc
			.queryForMap("select ATTEMPTS_, LOCK_EXP_TIME_ from ACT_ID_USER where ID_ = ?", this.user);
		Timestamp lockedUntil = (Timestamp) row.get("LOCK_EXP_TIME_");
		assertThat(lockedUntil == null || !lockedUntil.toInstant().isAfter(Instant.now().plusSeconds(1)))
			.as("engine lock until " + lockedUntil)
			.isTrue();

		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		int status = engineRest(this.user, PASSWORD).statusCode();
		while (status != 200 && Instant.now().isBefore(deadline)) {
			Thread.sleep(1000);
			status = engineRest(this.user, PASSWORD).statusCode();
		}
		assertThat(status).as("the right password within 60 s").isEqualTo(200);
		assertThat(
				this.jdbc.queryForObject("select ATTEMPTS_ from ACT_ID_USER where ID_ = ?", Integer.class, this.user))
			.isZero();
	}

	@Test
	void anAdministratorUnlocksAThrottledUserAtOnce() throws Exception {
		int counted = 0;
		while (counted < 8) {
			HttpResponse<String> response = engineRest(this.user, "wrong");
			if (response.statusCode() == 401) {
				counted++;
			}
			else {
				assertThat(response.statusCode()).isEqualTo(429);
				Thread.sleep(1000L * Integer.parseInt(response.headers().firstValue("Retry-After").orElseThrow()));
			}
		}
		// Eight wrong passwords: held back for seconds, even with the right one.
		assertThat(engineRest(this.user, PASSWORD).statusCode()).isEqualTo(429);
		assertThat(webappLogin(this.user, PASSWORD)).isEqualTo(401);

		assertThat(unlock(this.user, ADMIN).statusCode()).isEqualTo(204);
		assertThat(engineRest(this.user, PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	void aClientGuessingAcrossManyUsersIsHeldBackForEveryUser() {
		// The administrator works from the same address and must stay able to act.
		assertThat(unlock(this.user, ADMIN).statusCode()).isEqualTo(204);
		List<String> guessed = new ArrayList<>();
		try {
			HttpResponse<String> response = null;
			while (guessed.size() < 40) {
				String other = "throwaway" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
				User created = this.identity.newUser(other);
				created.setPassword(PASSWORD);
				this.identity.saveUser(created);
				guessed.add(other);
				response = engineRest(other, "wrong");
				if (response.statusCode() == 429) {
					break;
				}
				assertThat(response.statusCode()).isEqualTo(401);
			}
			// One wrong password per user: only the client's own count can hold it back.
			assertThat(response.statusCode()).as("after %d users", guessed.size()).isEqualTo(429);
			assertThat(guessed.size()).isGreaterThan(20);
			assertThat(engineRest(this.user, PASSWORD).statusCode()).isEqualTo(429);
		}
		finally {
			// Forgives this client what it got wrong, so that the other tests log in.
			guessed.forEach((other) -> assertThat(unlock(other, ADMIN).statusCode()).isEqualTo(204));
			guessed.forEach(this.identity::deleteUser);
		}
		assertThat(engineRest(this.user, PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	void unlockingTwiceAtOnceIsHarmless() {
		List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 5)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> unlock(this.user, ADMIN)))
			.toList();
		calls.forEach((call) -> assertThat(call.join().statusCode()).isEqualTo(204));
	}

	@Test
	void unlockIsForCamundaAdministratorsOnly() {
		assertThat(unlock(this.user, null).statusCode()).isEqualTo(401);
		assertThat(unlock(this.user, OFFICER).statusCode()).isEqualTo(403);
	}

	@Test
	void unlockingAnUnknownUserIsNotFound() {
		HttpResponse<String> response = unlock("nobody-" + UUID.randomUUID(), ADMIN);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(body(response).get("detail").asText()).contains("There is no user");
	}

	@Test
	void unlockIsInTheOpenApiDocument() {
		assertThat(get("/v3/api-docs", null).body()).contains("/api/v1/users/{userId}/unlock");
	}

	private HttpResponse<String> unlock(String userId, String caller) {
		return postJson("/api/v1/users/" + userId + "/unlock", "", caller);
	}

	private HttpResponse<String> engineRest(String userId, String password) {
		return send(HttpRequest.newBuilder(url("/engine-rest/task?maxResults=1"))
			.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((userId + ":" + password).getBytes(StandardCharsets.UTF_8))));
	}

	private int webappLogin(String userId, String password) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(url("/camunda/app/tasklist/default/")));
		String xsrf = page.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("XSRF-TOKEN="))
			.map((cookie) -> cookie.substring("XSRF-TOKEN=".length()).split(";", 2)[0])
			.findFirst()
			.orElseThrow();
		String cookies = String.join("; ",
				page.headers().allValues("Set-Cookie").stream().map((cookie) -> cookie.split(";", 2)[0]).toList());
		return send(HttpRequest.newBuilder(url("/camunda/api/admin/auth/user/default/login/tasklist"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-XSRF-TOKEN", xsrf)
			.header("Cookie", cookies)
			.POST(HttpRequest.BodyPublishers.ofString("username=" + userId + "&password=" + password))).statusCode();
	}

}
