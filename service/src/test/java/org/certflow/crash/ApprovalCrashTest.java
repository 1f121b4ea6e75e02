package org.certflow.crash;

import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash the issue reported: kill -9 1.5 s into a burst of approvals. Every approval
 * answered 204 is still an approval after the restart, and every certificate the CA
 * logged as issued is in its journal, so it is never signed again under a new serial.
 */
class ApprovalCrashTest {

	private static final Pattern IMAP_PORT = Pattern.compile("IMAP on [0-9.]+:(\\d+)");

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private static final Pattern ISSUED = Pattern.compile("Issued serial ([0-9a-f]+) for request ([0-9a-f-]{36})");

	private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final Pattern TASK_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

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
			Matcher imap = IMAP_PORT.matcher(certFlow.log());
			assertThat(imap.find()).as("the embedded mail server's IMAP port in the log").isTrue();
			int imapPort = Integer.parseInt(imap.group(1));
			ExecutorService workers = Executors.newFixedThreadPool(4);
			List<Future<String[]>> applications = new ArrayList<>();
			for (int i = 0; i < APPLICANTS; i++) {
				applications.add(workers.submit(() -> pendingApplication(certFlow, imapPort)));
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

	/**
	 * Invites, reads the mail, submits a CSR; returns the request id and the officer's
	 * task id.
	 */
	private static String[] pendingApplication(ForkedCertFlow certFlow, int imapPort) throws Exception {
		String email = "crash-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
		HttpResponse<String> invited = certFlow.send("POST", "/api/v1/invitations",
				"{\"email\":\"" + email + "\",\"fullName\":\"Ada Applicant\",\"certificateClass\":\"standard\"}",
				"admin");
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		Matcher id = REQUEST_ID.matcher(invited.body());
		assertThat(id.find()).isTrue();
		String requestId = id.group(1);
		String token = awaitToken(email, imapPort);
		HttpResponse<String> submitted = certFlow.send("POST", "/api/v1/applications",
				"{\"invitationToken\":\"" + token + "\",\"csrPem\":\"" + csrPem().replace("\n", "\\n")
						+ "\",\"fullName\":\"Ada Applicant\",\"email\":\"" + email + "\"}",
				null);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < until) {
			HttpResponse<String> tasks = certFlow.send("GET",
					"/engine-rest/task?processInstanceBusinessKey=" + requestId, null, "officer");
			Matcher task = TASK_ID.matcher(tasks.body());
			if (tasks.statusCode() == 200 && task.find()) {
				return new String[] { requestId, task.group(1) };
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No officer task for " + requestId);
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

	private static String awaitToken(String email, int imapPort) throws Exception {
		Properties properties = new Properties();
		properties.put("mail.imap.host", "127.0.0.1");
		properties.put("mail.imap.port", String.valueOf(imapPort));
		long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < until) {
			Store store = Session.getInstance(properties).getStore("imap");
			try {
				store.connect(email, email);
				Folder inbox = store.getFolder("INBOX");
				inbox.open(Folder.READ_ONLY);
				for (Message message : inbox.getMessages()) {
					Matcher token = TOKEN.matcher(message.getContent().toString());
					if (token.find()) {
						return token.group(1);
					}
				}
				inbox.close(false);
			}
			catch (jakarta.mail.AuthenticationFailedException ex) {
				// The mailbox exists once the first mail has arrived.
			}
			finally {
				store.close();
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No invitation reached " + email);
	}

	private static String csrPem() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
		}
		return out.toString();
	}

}
