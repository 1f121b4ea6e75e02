package org.certflow.crash;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM while clients keep sending: requests in progress finish, requests that arrive
 * once shutdown has begun get 503 with Retry-After, none gets a 500, and the signer and
 * the job executor stop before the database closes.
 */
class ShutdownUnderLoadTest {

	private static final int CLIENTS = 4;

	@TempDir
	Path temp;

	@Test
	void sigtermUnderLoadAnswersNo500AndClosesTheDatabaseLast() throws Exception {
		Path dataDir = this.temp.resolve("data");
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<String> refusalsWithoutRetryAfter = new CopyOnWriteArrayList<>();
		List<String> errors = new CopyOnWriteArrayList<>();
		String log;
		try (ForkedCertFlow certFlow = ForkedCertFlow.start(dataDir, "certflow.log")) {
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			for (int i = 0; i < CLIENTS; i++) {
				clients.submit(() -> load(certFlow, statuses, refusalsWithoutRetryAfter, errors));
			}
			Thread.sleep(2000);
			assertThat(certFlow.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
			clients.shutdown();
			assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			log = certFlow.log();
		}
		System.out.printf("SIGTERM under load: answers by status %s, %d requests found no server%n", statuses,
				errors.size());
		assertThat(statuses.keySet()).as("statuses answered")
			.contains(201)
			.allMatch((status) -> status < 500 || status == 503);
		assertThat(refusalsWithoutRetryAfter).isEmpty();
		assertThat(log).doesNotContain("already closed").doesNotContain(" ERROR ");
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void load(ForkedCertFlow certFlow, Map<Integer, AtomicInteger> statuses,
			List<String> refusalsWithoutRetryAfter, List<String> errors) {
		String lastRequest = null;
		while (true) {
			try {
				HttpResponse<String> response;
				if (lastRequest != null && Math.random() < 0.5) {
					response = certFlow.send("GET", "/api/v1/requests/" + lastRequest, null, "admin");
				}
				else {
					response = certFlow.send("POST", "/api/v1/invitations", "{\"email\":\"stop-"
							+ UUID.randomUUID().toString().substring(0, 8)
							+ "@example.org\",\"fullName\":\"Ada Applicant\",\"certificateClass\":\"standard\"}",
							"admin");
					if (response.statusCode() == 201) {
						lastRequest = response.body().replaceAll("(?s).*\"requestId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
					}
				}
				statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicInteger()).incrementAndGet();
				if (response.statusCode() == 503 && (response.headers().firstValue("Retry-After").isEmpty()
						|| !response.body().contains("\"status\":503"))) {
					refusalsWithoutRetryAfter.add(response.headers().map() + " " + response.body());
				}
			}
			catch (Exception ex) {
				// Connection refused or reset: the server is gone, which is what a client
				// must expect after SIGTERM; stop once it is.
				errors.add(ex.toString());
				if (!certFlow.isAlive()) {
					return;
				}
				pause();
			}
		}
	}

}
