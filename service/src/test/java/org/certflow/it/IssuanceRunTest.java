package org.certflow.it;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.IssuanceBatchProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issuance runs end to end: a class that issues in batches waits after approval until a
 * run releases it; "Issue now" (API and RAMC) releases exactly what was approved before
 * it; overlapping runs sign each request once; the schedule's run does the same.
 */
class IssuanceRunTest extends IntegrationTest {

	@Autowired
	private RuntimeService runtime;

	@Autowired
	private ManagementService management;

	private String batchClass;

	@BeforeEach
	void classThatIssuesInBatches() {
		this.batchClass = "batch-" + UUID.randomUUID().toString().substring(0, 8);
		Map<String, Object> body = new HashMap<>();
		body.put("name", this.batchClass);
		body.put("displayName", "Issued in batches");
		body.put("issuanceProfile", "standard");
		body.put("issueImmediately", false);
		HttpResponse<String> created = postJson("/api/v1/classes", body, ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		// What earlier tests left approved is released here first, so that the counts
		// below are this test's own.
		awaitRun(startRun());
	}

	@Test
	void anApprovedRequestWaitsForTheRunAndARequestApprovedAfterTheRunStartedWaitsForTheNext() {
		String first = approvedInBatchClass();
		String second = approvedInBatchClass();
		pause();
		assertThat(request(first).get("status").asText()).as("waits for a run").isEqualTo("APPROVED");
		assertThat(waitsForRelease(first)).isTrue();

		String runId = startRun();
		String later = approvedInBatchClass();
		JsonNode run = awaitRun(runId);
		assertThat(run.get("claimed").asInt()).isEqualTo(2);
		assertThat(run.get("released").asInt()).isEqualTo(2);
		assertThat(run.get("issued").asInt()).isEqualTo(2);
		assertThat(run.get("failed").asInt()).isZero();
		assertThat(run.get("startedBy").asText()).isEqualTo(ADMIN);
		awaitStatus(first, "ISSUED");
		awaitStatus(second, "ISSUED");
		assertThat(timeline(first)).anyMatch((line) -> line.startsWith("RELEASED") && line.contains(runId));

		assertThat(request(later).get("status").asText()).as("approved after the run began").isEqualTo("APPROVED");
		assertThat(waitsForRelease(later)).isTrue();
		JsonNode next = awaitRun(startRun());
		assertThat(next.get("claimed").asInt()).isEqualTo(1);
		awaitStatus(later, "ISSUED");
	}

	@Test
	void overlappingRunsIssueEachRequestExactlyOnce() throws Exception {
		List<String> requests = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			requests.add(approvedInBatchClass());
		}
		int runs = 4;
		ExecutorService pool = Executors.newFixedThreadPool(runs);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> started = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			started.add(pool.submit((Callable<String>) () -> {
				start.await();
				return startRun();
			}));
		}
		start.countDown();
		int claimed = 0;
		int issued = 0;
		for (Future<String> run : started) {
			JsonNode progress = awaitRun(run.get(60, TimeUnit.SECONDS));
			claimed += progress.get("claimed").asInt();
			issued += progress.get("issued").asInt();
		}
		pool.shutdown();
		assertThat(claimed).isEqualTo(requests.size());
		assertThat(issued).isEqualTo(requests.size());
		for (String requestId : requests) {
			awaitStatus(requestId, "ISSUED");
			assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
					Integer.class, requestId))
				.as("certificates of " + requestId)
				.isEqualTo(1);
		}
	}

	@Test
	void theScheduleStartsARunThatReleasesLikeIssueNow() {
		String requestId = approvedInBatchClass();
		// The timer's job, due at the next full hour in production; run now.
		String timer = scheduleTimer();
		assertThat(timer).as("the schedule's timer").isNotNull();
		this.management.executeJob(timer);
		awaitStatus(requestId, "ISSUED");
		String runId = this.jdbc.queryForObject("select issuance_run_id from certificate_request where request_id = ?",
				String.class, requestId);
		JsonNode run = awaitRun(runId);
		assertThat(run.get("startedBy").asText()).isEqualTo("schedule");
		assertThat(run.get("issued").asInt()).isEqualTo(1);
		assertThat(scheduleTimer()).as("the schedule goes on").isNotNull();
	}

	@Test
	void onlyRaAdminsStartOrReadRunsAndAnUnknownRunIsAProblem() {
		assertThat(postJson("/api/v1/issuance-runs", Map.of(), OFFICER).statusCode()).isEqualTo(403);
		assertThat(postJson("/api/v1/issuance-runs", Map.of(), null).statusCode()).isEqualTo(401);
		assertThat(get("/api/v1/issuance-runs", OFFICER).statusCode()).isEqualTo(403);
		HttpResponse<String> unknown = get("/api/v1/issuance-runs/RUN-nothing", ADMIN);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).contains("application/problem+json"));
		assertThat(body(unknown).get("detail").asText()).contains("no issuance run RUN-nothing");
		// Nobody starts a run past CertFlow, through the engine: an officer may not, and
		// even the engine's own administrator cannot start one CertFlow did not record.
		Map<String, String> forged = Map.of("messageName", IssuanceBatchProcess.MESSAGE_RUN_REQUESTED, "businessKey",
				"RUN-forged");
		HttpResponse<String> byOfficer = postJson("/engine-rest/message", forged, OFFICER);
		assertThat(byOfficer.statusCode()).as(byOfficer.body()).isEqualTo(403);
		HttpResponse<String> byEngineAdmin = postJson("/engine-rest/message", forged, ADMIN);
		assertThat(byEngineAdmin.statusCode()).as(byEngineAdmin.body()).isNotIn(200, 204);
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey("RUN-forged").count()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from issuance_run where run_id = 'RUN-forged'",
				Integer.class))
			.isZero();
	}

	@Test
	void theRaConsoleStartsARunAndShowsItsProgress() {
		String requestId = approvedInBatchClass();
		RamcAccessTest.Console console = RamcAccessTest.Console.login(this, ADMIN);
		assertThat(console.get("/ramc/issuance-runs").body()).contains("Issue now");
		HttpResponse<String> started = console.post("/ramc/issuance-runs", Map.of(), true);
		assertThat(started.statusCode()).isEqualTo(302);
		String location = started.headers().firstValue("Location").orElseThrow();
		String runId = location.substring(location.lastIndexOf('/') + 1);
		awaitStatus(requestId, "ISSUED");
		awaitRun(runId);
		assertThat(console.get("/ramc/issuance-runs/" + runId).body()).contains(runId, "This run is complete");
		assertThat(console.post("/ramc/issuance-runs", Map.of(), false).statusCode()).as("without CSRF token")
			.isEqualTo(403);
		assertThat(RamcAccessTest.Console.login(this, OFFICER).send("/ramc/issuance-runs").statusCode()).isEqualTo(403);
	}

	private String approvedInBatchClass() {
		String email = newMailbox();
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", this.batchClass), ADMIN);
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		String requestId = body(invited).get("requestId").asText();
		HttpResponse<String> submitted = submit(invitationToken(email), csrPem(newEcKey("secp256r1"), "CN=x"), email);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "APPROVED");
		return requestId;
	}

	private boolean waitsForRelease(String requestId) {
		return this.runtime.createExecutionQuery()
			.processInstanceBusinessKey(requestId)
			.activityId(Element.AWAIT_ISSUANCE_RELEASE)
			.count() == 1;
	}

	private String startRun() {
		HttpResponse<String> started = postJson("/api/v1/issuance-runs", Map.of(), ADMIN);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		String runId = body(started).get("runId").asText();
		assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/issuance-runs/" + runId);
		return runId;
	}

	/** Waits until everything the run claimed is issued or failed. */
	private JsonNode awaitRun(String runId) {
		Instant until = Instant.now().plusSeconds(60);
		while (true) {
			HttpResponse<String> response = get("/api/v1/issuance-runs/" + runId, ADMIN);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode run = body(response);
			if (!run.get("finishedAt").isNull()
					&& run.get("issued").asInt() + run.get("failed").asInt() >= run.get("claimed").asInt()) {
				return run;
			}
			if (Instant.now().isAfter(until)) {
				fail("Issuance run " + runId + " did not finish: " + run);
			}
			pause();
		}
	}

	private String scheduleTimer() {
		var job = this.management.createJobQuery()
			.processDefinitionKey(IssuanceBatchProcess.KEY)
			.timers()
			.singleResult();
		return (job != null) ? job.getId() : null;
	}

	private List<String> timeline(String requestId) {
		return this.jdbc.query("select kind, detail from request_event where request_id = ? order by event_seq",
				(rs, row) -> rs.getString(1) + " " + rs.getString(2), requestId);
	}

}
