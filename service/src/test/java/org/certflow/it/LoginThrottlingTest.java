package org.certflow.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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

	private static final Random RANDOM = new Random();

	@Autowired
	private IdentityService identity;

	private String user;

	private InetAddress clientAddress;

	@BeforeEach
	void throwawayUser() throws Exception {
		this.clientAddress = InetAddress.getByAddress(new byte[] { 127, (byte) (2 + RANDOM.nextInt(250)),
				(byte) RANDOM.nextInt(256), (byte) (1 + RANDOM.nextInt(254)) });
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
		Answer throttled = null;
		for (int i = 0; i < 20; i++) {
			Answer response = engineRest(this.user, "wrong-" + i);
			statuses.add(response.statusCode());
			if (response.statusCode() == 429) {
				throttled = response;
			}
			Thread.sleep(2000);
		}
		assertThat(statuses).containsOnly(401, 429).contains(429);
		assertThat(throttled.header("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
		assertThat(throttled.header("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(throttled.body()).contains("\"status\":429").contains("Try again in");

		// Not locked in the engine, neither for good nor for a while.
		// queryForObject converts: Connector/J hands DATETIME columns over as
		// LocalDateTime.
		Timestamp lockedUntil = this.jdbc.queryForObject("select LOCK_EXP_TIME_ from ACT_ID_USER where ID_ = ?",
				Timestamp.class, this.user);
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
			Answer response = engineRest(this.user, "wrong");
			if (response.statusCode() == 401) {
				counted++;
			}
			else {
				assertThat(response.statusCode()).isEqualTo(429);
				Thread.sleep(1000L * Integer.parseInt(response.header("Retry-After").orElseThrow()));
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
			Answer response = null;
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
			// 20 free, the 21st earns a second's wait (a slow machine may need one more).
			assertThat(guessed.size()).isBetween(22, 24);
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

	/**
	 * An engine REST call with HTTP Basic from this test's own client address (any
	 * 127.x.y.z reaches the server), so that wrong passwords other tests send from
	 * 127.0.0.1 do not count here, nor these there.
	 */
	private Answer engineRest(String userId, String password) {
		String credentials = Base64.getEncoder()
			.encodeToString((userId + ":" + password).getBytes(StandardCharsets.UTF_8));
		try (Socket socket = new Socket()) {
			socket.setSoTimeout(60_000);
			socket.bind(new InetSocketAddress(this.clientAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			socket.getOutputStream()
				.write(("GET /engine-rest/task?maxResults=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
						+ credentials + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return Answer.parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An HTTP/1.1 answer read off the socket (Connection: close, not chunked). */
	private record Answer(int statusCode, Map<String, String> headers, String body) {

		static Answer parse(String raw) {
			int end = raw.indexOf("\r\n\r\n");
			String[] lines = raw.substring(0, end).split("\r\n");
			Map<String, String> headers = new HashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
		}

		Optional<String> header(String name) {
			return Optional.ofNullable(this.headers.get(name.toLowerCase(Locale.ROOT)));
		}

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
