package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.certflow.EmbeddedSigners;
import org.certflow.signer.IssueCertificate;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed issuing path end to end, over HTTP and IMAP: invitation, application, officer
 * decision through the engine REST API, signing, activation mail, activation, and the
 * chain checked by the JDK's PKIX validator and by openssl.
 */
class IssuancePathTest extends IntegrationTest {

	@Autowired
	private ManagementService management;

	@Autowired
	private HistoryService history;

	@Autowired
	private RuntimeService runtime;

	@Autowired
	private ApplicationContext context;

	@Test
	void approvedApplicationIsIssuedCollectedAndVerifiesWithPkixAndOpenssl() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email, newRsaKey(2048));

		// What the officer sees in Tasklist: the deployed Camunda Form and the data it
		// shows.
		String taskId = officerTaskId(requestId);
		HttpResponse<String> form = get("/engine-rest/task/" + taskId + "/deployed-form", OFFICER);
		assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
		assertThat(form.body()).contains("\"decision\"", "\"decisionReason\"", "\"subjectDn\"");
		JsonNode variables = body(get("/engine-rest/task/" + taskId + "/form-variables", OFFICER));
		assertThat(variables.get("keyDescription").get("value").asText()).isEqualTo("RSA 2048");
		assertThat(variables.get("subjectDn").get("value").asText()).contains("CN=Ada Applicant", email);
		assertThat(variables.get("requestedSubject").get("value").asText()).isEqualToIgnoringCase("CN=ignored");

		HttpResponse<String> approved = decide(requestId, "approve", "Identity checked");
		assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
		JsonNode issued = awaitStatus(requestId, "ISSUED");
		assertThat(issued.get("decidedBy").asText()).isEqualTo(OFFICER);

		String[] activation = activation(email);
		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);
		assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
		assertThat(collected.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/pem-certificate-chain"));

		List<X509Certificate> chain = certificates(collected.body());
		assertThat(chain).hasSize(3);
		X509Certificate leaf = chain.get(0);
		X509Certificate root = chain.get(2);
		assertThat(leaf.getSerialNumber().toString(16)).isEqualTo(issued.get("certificateSerial").asText());
		assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=Ada Applicant");
		assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(1, email));
		assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());

		validateWithPkix(chain);
		verifyWithOpenssl(chain);

		awaitStatus(requestId, "COLLECTED");
		assertThat(endedAt(requestId)).isEqualTo(Element.END_DELIVERED);
		assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
				Integer.class, requestId))
			.isEqualTo(1);
	}

	@Test
	void retriedSigningReturnsTheCertificateAlreadyIssued() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		decide(requestId, "approve", null);
		String serial = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();

		// As if the signer's completion had been lost and the external task fetched
		// again.
		assertThat(signer().issue(requestId)).isEqualTo(serial);
		assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
				Integer.class, requestId))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from serial_reservation where request_id = ?",
				Integer.class, requestId))
			.isEqualTo(1);
	}

	@Test
	void signersRacingForOneRequestIssueExactlyOneCertificate() throws Exception {
		String requestId = submittedRequest(newMailbox());
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);

		// The in-process signer has just been handed the task; two more signers race it,
		// as
		// after a lock expiry on a busy node.
		ExecutorService signers = Executors.newFixedThreadPool(2);
		try {
			List<Future<String>> serials = signers
				.invokeAll(List.of(() -> signer().issue(requestId), () -> signer().issue(requestId)));
			String issued = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();
			for (Future<String> serial : serials) {
				assertThat(serial.get()).isEqualTo(issued);
			}
		}
		finally {
			signers.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
				Integer.class, requestId))
			.isEqualTo(1);
	}

	@Test
	void rejectedApplicationTellsTheApplicantWhyAndEnds() {
		String email = newMailbox();
		String requestId = submittedRequest(email);

		HttpResponse<String> rejected = decide(requestId, "reject", "The name does not match our records.");

		assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(204);
		JsonNode request = awaitStatus(requestId, "REJECTED");
		assertThat(request.get("decisionReason").asText()).isEqualTo("The name does not match our records.");
		assertThat(awaitMail(email, "not approved")).contains("The name does not match our records.");
		awaitEnd(requestId);
		assertThat(endedAt(requestId)).isEqualTo(Element.END_REJECTED);
		assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
				Integer.class, requestId))
			.isZero();
	}

	@Test
	void decisionWithoutReasonOrUnknownIsRefusedAndTheTaskStaysOpen() {
		String email = newMailbox();
		String requestId = submittedRequest(email);

		HttpResponse<String> refused = decide(requestId, "reject", null);

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("A reason is required to reject an application.");
		HttpResponse<String> pastDate = postJson("/engine-rest/task/" + officerTaskId(requestId) + "/complete",
				Map.of("variables", Map.of("decision", Map.of("value", "defer"), "decisionReason",
						Map.of("value", "later"), "deferUntil", Map.of("value", "2020-01-01"))),
				OFFICER);
		assertThat(pastDate.statusCode()).isEqualTo(400);
		assertThat(pastDate.body()).contains("Defer until must be after today");
		HttpResponse<String> unknown = decide(requestId, "maybe", "unsure");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("decision must be one of approve, reject or defer");
		assertThat(officerTaskId(requestId)).isNotBlank();
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

	@Test
	void deferredApplicationReturnsToTheQueueAndCanThenBeApproved() {
		String email = newMailbox();
		String requestId = submittedRequest(email);

		HttpResponse<String> deferred = decide(requestId, "defer", "Waiting for the signed form.");
		assertThat(deferred.statusCode()).as(deferred.body()).isEqualTo(204);
		awaitStatus(requestId, "DEFERRED");
		Job timer = timerOf(requestId);
		assertThat(timer.getDuedate()).isInTheFuture();

		// The follow-up date has come: run the timer now instead of waiting a day.
		this.management.executeJob(timer.getId());
		awaitStatus(requestId, "PENDING_VALIDATION");

		// Deferred again, to a day the officer chose.
		LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(10);
		HttpResponse<String> toADay = postJson("/engine-rest/task/" + officerTaskId(requestId) + "/complete",
				Map.of("variables", Map.of("decision", Map.of("value", "defer"), "decisionReason",
						Map.of("value", "Back after the holidays"), "deferUntil", Map.of("value", day.toString()))),
				OFFICER);
		assertThat(toADay.statusCode()).as(toADay.body()).isEqualTo(204);
		awaitStatus(requestId, "DEFERRED");
		assertThat(timerOf(requestId).getDuedate().toInstant()).isEqualTo(day.atStartOfDay(ZoneOffset.UTC).toInstant());
		this.management.executeJob(timerOf(requestId).getId());
		awaitStatus(requestId, "PENDING_VALIDATION");

		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		JsonNode issued = awaitStatus(requestId, "ISSUED");
		assertThat(issued.get("decisionReason").isNull()).as("no reason carried over from the deferral").isTrue();
	}

	@Test
	void keyAlreadyCertifiedForAnotherSubscriberIsRejectedBeforeAnOfficerSeesIt() {
		KeyPair shared = newEcKey("secp256r1");
		String first = submittedRequest(newMailbox(), shared);
		decide(first, "approve", null);
		awaitStatus(first, "ISSUED");
		String otherEmail = newMailbox();
		String second = invite(otherEmail);

		HttpResponse<String> submitted = submit(invitationToken(otherEmail), csrPem(shared, "CN=x"), otherEmail);

		assertThat(submitted.statusCode()).isEqualTo(202);
		JsonNode rejected = awaitStatus(second, "REJECTED");
		assertThat(rejected.get("decisionReason").asText()).contains("already certified for another subscriber");
		assertThat(awaitMail(otherEmail, "not approved")).contains("already certified for another subscriber");
		assertThat(endedAt(second)).isEqualTo(Element.END_REJECTED);
	}

	@Test
	void unansweredInvitationExpiresAndTellsTheApplicant() {
		String email = newMailbox();
		String requestId = invite(email);
		invitationToken(email);

		// The invitation's validity has run out: fire its boundary timer now.
		this.management.executeJob(timerOf(requestId).getId());

		awaitStatus(requestId, "EXPIRED");
		assertThat(awaitMail(email, "expired")).contains(requestId);
		assertThat(endedAt(requestId)).isEqualTo(Element.END_INVITATION_EXPIRED);
	}

	private Job timerOf(String requestId) {
		String instanceId = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(requestId)
			.singleResult()
			.getId();
		return this.management.createJobQuery().processInstanceId(instanceId).timers().singleResult();
	}

	private String endedAt(String requestId) {
		awaitEnd(requestId);
		return this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(this.history.createHistoricProcessInstanceQuery()
				.processInstanceBusinessKey(requestId)
				.singleResult()
				.getId())
			.activityType("noneEndEvent")
			.list()
			.stream()
			.map((activity) -> activity.getActivityId())
			// The publishing branch ends on its own; the request's outcome is the other.
			.filter((id) -> !id.equals(Element.END_PUBLISHED))
			.reduce((a, b) -> {
				throw new AssertionError("two outcomes: " + a + ", " + b);
			})
			.orElseThrow();
	}

	private void awaitEnd(String requestId) {
		for (int i = 0; i < 200; i++) {
			if (this.history.createHistoricProcessInstanceQuery()
				.processInstanceBusinessKey(requestId)
				.finished()
				.count() == 1) {
				return;
			}
			pause();
		}
		throw new AssertionError("Process of request " + requestId + " did not end");
	}

	static List<X509Certificate> certificates(String pem) throws Exception {
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		List<X509Certificate> chain = new ArrayList<>();
		for (var certificate : factory
			.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
			chain.add((X509Certificate) certificate);
		}
		return chain;
	}

	static void validateWithPkix(List<X509Certificate> chain) throws Exception {
		X509Certificate root = chain.get(chain.size() - 1);
		CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, chain.size() - 1));
		PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
		// Revocation is checked by the CA tests against our own CRL and OCSP responder.
		parameters.setRevocationEnabled(false);
		CertPathValidator.getInstance("PKIX").validate(path, parameters);
	}

	static void verifyWithOpenssl(List<X509Certificate> chain) throws Exception {
		// Fails where CI or CERTFLOW_REQUIRE_TOOLS is true and openssl is missing; skips
		// only on a developer's machine, where the JDK's validator above has still
		// passed.
		Tools.requireOpenssl();
		Path dir = Files.createTempDirectory("certflow-chain");
		Path leaf = write(dir.resolve("leaf.pem"), chain.get(0));
		Path issuing = write(dir.resolve("issuing.pem"), chain.get(1));
		Path root = write(dir.resolve("root.pem"), chain.get(2));
		Process openssl = new ProcessBuilder("openssl", "verify", "-x509_strict", "-purpose", "smimesign", "-CAfile",
				root.toString(), "-untrusted", issuing.toString(), leaf.toString())
			.redirectErrorStream(true)
			.start();
		assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(openssl.exitValue()).as(output).isZero();
		assertThat(output).contains(": OK");
	}

	private static Path write(Path file, X509Certificate certificate) throws IOException {
		Files.writeString(file, pem(certificate));
		return file;
	}

	/** The issuing use case of the signer running in this JVM. */
	private IssueCertificate signer() {
		return EmbeddedSigners.bean(this.context, IssueCertificate.class);
	}

}
