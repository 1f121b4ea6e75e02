package org.certflow.crash;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2xx means the write survives kill -9, on the embedded default too. CertFlow runs in a
 * JVM of its own on the H2 file database of application.yml; a burst of invitations is
 * cut by SIGKILL, and after a restart on the same data directory every invitation that
 * was answered 201 is still there.
 *
 * <p>
 * To measure another database URL (for example the one before WRITE_DELAY=0), run with
 * {@code -Dcertflow.crash.datasource-url=...}.
 */
class CrashDurabilityTest {

	private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final int CLIENTS = 4;

	private static final Duration BURST_BEFORE_KILL = Duration.ofMillis(1500);

	private static final int MIN_ACKNOWLEDGED = 10;

	@TempDir
	Path temp;

	@Test
	void everyAcknowledgedInvitationSurvivesKill9() throws Exception {
		Path dataDir = this.temp.resolve("data");
		String url = System.getProperty("certflow.crash.datasource-url");
		String[] args = (url != null && !url.isBlank()) ? new String[] { "--spring.datasource.url=" + url }
				: new String[0];
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		try (ForkedCertFlow certFlow = ForkedCertFlow.start(dataDir, "first.log", args)) {
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			for (int i = 0; i < CLIENTS; i++) {
				clients.submit(() -> invite(certFlow, acknowledged));
			}
			Thread.sleep(BURST_BEFORE_KILL.toMillis());
			// On a slow machine, let enough writes be acknowledged for the kill to mean
			// something.
			long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (acknowledged.size() < MIN_ACKNOWLEDGED && System.nanoTime() < until) {
				Thread.sleep(50);
			}
			certFlow.kill();
			clients.shutdown();
			assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(acknowledged).as("invitations answered 201 before the kill")
			.hasSizeGreaterThanOrEqualTo(MIN_ACKNOWLEDGED);
		List<String> lost = new ArrayList<>();
		try (ForkedCertFlow restarted = ForkedCertFlow.start(dataDir, "second.log", args)) {
			for (String requestId : acknowledged) {
				HttpResponse<String> found = restarted.send("GET", "/api/v1/requests/" + requestId, null, "admin");
				if (found.statusCode() != 200) {
					lost.add(requestId + " (" + found.statusCode() + ")");
				}
			}
			restarted.stop(Duration.ofSeconds(60));
		}
		System.out.printf("kill -9 after %d ms of invitations: %d acknowledged, %d lost%n",
				BURST_BEFORE_KILL.toMillis(), acknowledged.size(), lost.size());
		assertThat(lost).as("invitations answered 201 but gone after kill -9 (of %d)", acknowledged.size()).isEmpty();
		assertThat(Files.readString(dataDir.resolveSibling("second.log"))).doesNotContain("ERROR");
	}

	private static void invite(ForkedCertFlow certFlow, Set<String> acknowledged) {
		while (!Thread.currentThread().isInterrupted()) {
			String body = "{\"email\":\"crash-" + UUID.randomUUID().toString().substring(0, 8)
					+ "@example.org\",\"fullName\":\"Ada Applicant\",\"certificateClass\":\"standard\"}";
			try {
				HttpResponse<String> response = certFlow.send("POST", "/api/v1/invitations", body, "admin");
				if (response.statusCode() == 201) {
					Matcher id = REQUEST_ID.matcher(response.body());
					if (id.find()) {
						acknowledged.add(id.group(1));
					}
				}
			}
			catch (Exception ex) {
				// The server is gone: the burst is over.
				return;
			}
		}
	}

}
