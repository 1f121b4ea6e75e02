package org.certflow.crash;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash the issue reported: kill -9 1.5 s into a burst of approvals. Every approval
 * answered 204 is still an approval after the restart, and every certificate the CA
 * logged as issued is in its journal, so it is never signed again under a new serial.
 */
class ApprovalCrashTest {

	private static final Pattern ISSUED = Pattern.compile("Issued serial ([0-9a-f]+) for request ([0-9a-f-]{36})");

	private static final int APPLICANTS = 16;

	@TempDir
	Path temp;

	@Test
	void everyAcknowledgedApprovalAndEveryLoggedCertificateSurvivesKill9() throws Exception {
		Path dataDir = this.temp.resolve("data");
		String url = System.getProperty("certflow.crash.datasource-url");
		String[] args = (url != null && !url.isBlank()) ? new String[] { "--spring.datasource.url=" + url }
				: new String[0];
		Set<String> approved = ConcurrentHashMap.newKeySet();
		try (ForkedCertFlow certFlow = ForkedCertFlow.start(dataDir, "first.log", args)) {
			List<Integer> imapPort = List.of(Applicants.imapPort(certFlow));
			ExecutorService workers = Executors.newFixedThreadPool(4);
			List<Future<String[]>> applications = new ArrayList<>();
			for (int i = 0; i < APPLICANTS; i++) {
				applications.add(workers.submit(() -> Applicants.pendingApplication(certFlow, certFlow, imapPort)));
			}
			List<String[]> pending = new ArrayList<>();
			for (Future<String[]> application : applications) {
				pending.add(application.get(90, TimeUnit.SECONDS));
			}
			for (String[] application : pending) {
				workers.submit(() -> approve(certFlow, application, approved));
			}
			Thread.sleep(1500);
			certFlow.kill();
			workers.shutdown();
			assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		Map<String, String> loggedSerials = new ConcurrentHashMap<>();
		Matcher issued = ISSUED.matcher(Files.readString(dataDir.resolveSibling("first.log")));
		while (issued.find()) {
			loggedSerials.put(issued.group(1), issued.group(2));
		}
		assertThat(approved).as("approvals answered 204 before the kill").isNotEmpty();
		List<String> lostApprovals = new ArrayList<>();
		List<String> lostCertificates = new ArrayList<>();
		try (ForkedCertFlow restarted = ForkedCertFlow.start(dataDir, "second.log", args)) {
			for (String requestId : approved) {
				HttpResponse<String> request = restarted.send("GET", "/api/v1/requests/" + requestId, null, "admin");
				if (request.statusCode() != 200 || request.body().contains("PENDING_VALIDATION")) {
					lostApprovals.add(requestId);
				}
			}
			for (String serial : loggedSerials.keySet()) {
				HttpResponse<String> certificate = restarted.send("GET", "/api/v1/certificates/" + serial, null,
						"admin");
				if (certificate.statusCode() != 200) {
					lostCertificates.add(serial + " (" + certificate.statusCode() + ")");
				}
			}
			// Audit events commit with the journal rows they describe: a kill mid-signing
			// leaves no half of a link behind.
			HttpResponse<String> audit = restarted.send("GET", "/api/v1/audit/verification", null, "admin");
			assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
			assertThat(audit.body()).as("audit chain after kill -9").contains("\"valid\":true");
			restarted.stop(Duration.ofSeconds(60));
		}
		System.out.printf(
				"kill -9 1.5 s into approvals: %d approvals answered 204, %d lost; %d certificates logged "
						+ "as issued, %d missing from the journal%n",
				approved.size(), lostApprovals.size(), loggedSerials.size(), lostCertificates.size());
		assertThat(lostApprovals).as("approvals answered 204 but back in the queue after kill -9").isEmpty();
		assertThat(lostCertificates).as("certificates the CA logged as issued but missing after kill -9").isEmpty();
	}

	private static void approve(ForkedCertFlow certFlow, String[] application, Set<String> approved) {
		try {
			HttpResponse<String> completed = certFlow.send("POST", "/engine-rest/task/" + application[1] + "/complete",
					"{\"variables\":{\"decision\":{\"value\":\"approve\"}}}", "officer");
			if (completed.statusCode() == 204) {
				approved.add(application[0]);
			}
		}
		catch (Exception ex) {
			// Killed mid-request: not acknowledged.
		}
	}

}
