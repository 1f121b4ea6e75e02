package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approval by class, end to end: the approval-policy table routes each seeded class, dual
 * control is enforced by the engine, every decision lands on the request's timeline, and
 * no task user can steer the route.
 */
class ApprovalByClassTest extends IntegrationTest {

	private static final String SECOND_OFFICER = "officer2";

	private static final String PHONE = "+41 44 123 45 67";

	@Autowired
	private IdentityService identity;

	@Autowired
	private RuntimeService runtime;

	@Autowired
	private ManagementService management;

	@Autowired
	private org.certflow.request.ValidateApplication validateApplication;

	@Autowired
	private HistoryService history;

	@BeforeEach
	void secondOfficer() {
		if (this.identity.createUserQuery().userId(SECOND_OFFICER).count() == 0) {
			User user = this.identity.newUser(SECOND_OFFICER);
			user.setPassword(SECOND_OFFICER);
			user.setFirstName("Second");
			user.setLastName("Officer");
			this.identity.saveUser(user);
			this.identity.createMembership(SECOND_OFFICER, CertificateRequestProcess.OFFICER_GROUP);
		}
	}

	@Test
	void autoDomainWithAListedMailboxDomainIsIssuedWithoutAnOfficer() {
		String email = newMailbox();
		String requestId = submitted(email, "auto-domain", null);

		JsonNode issued = awaitStatus(requestId, "ISSUED");
		assertThat(issued.get("decidedBy").asText()).isEqualTo("policy");
		assertThat(awaitMail(email, "ready")).contains("PIN");
		assertThat(this.history.createHistoricTaskInstanceQuery().processInstanceBusinessKey(requestId).count())
			.as("no officer task was ever created")
			.isZero();
		assertThat(timeline(requestId)).anyMatch((line) -> line.startsWith("ROUTED by policy: AUTO_APPROVE"))
			.anyMatch((line) -> line.startsWith("APPROVED by policy: Class auto-domain"));
	}

	@Test
	void autoDomainWithAnotherMailboxDomainGoesToAnOfficer() {
		String email = "applicant-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.example";
		String requestId = submitted(email, "auto-domain", null);

		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(timeline(requestId)).anyMatch(
				(line) -> line.startsWith("ROUTED by policy: MANUAL") && line.contains("not on the class's list"));
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		assertThat(awaitStatus(requestId, "ISSUED").get("decidedBy").asText()).isEqualTo(OFFICER);
	}

	@Test
	void highAssuranceWithoutAPhoneIsRejectedAtOnceWithTheReason() {
		String email = newMailbox();
		String requestId = submitted(email, "high-assurance", null);

		awaitStatus(requestId, "REJECTED");
		assertThat(awaitMail(email, "not approved")).contains("requires a phone number");
		assertThat(timeline(requestId)).anyMatch((line) -> line.startsWith("REJECTED by policy"));
	}

	@Test
	void aClassRequiringAPinThatIsNotVerifiedDefersAndTheApplicantIsTold() {
		// A class as an RA admin might make one; no seeded class requires a PIN.
		this.jdbc.update("insert into certificate_class (name, display_name, issuance_profile, issue_immediately, "
				+ "pin_required) select 'pin-required', 'PIN required', 'standard', true, true from certificate_class "
				+ "where name = 'standard' and not exists (select 1 from certificate_class where name = 'pin-required')");
		String email = newMailbox();
		String requestId = submitted(email, "pin-required", null);

		JsonNode deferred = awaitStatus(requestId, "DEFERRED");
		assertThat(deferred.get("decidedBy").asText()).isEqualTo("policy");
		assertThat(awaitMail(email, "waiting")).contains("look at it again");
		assertThat(timeline(requestId)).anyMatch((line) -> line.startsWith("DEFERRED by policy: until"));
		assertThat(this.history.createHistoricTaskInstanceQuery().processInstanceBusinessKey(requestId).count())
			.isZero();
	}

	@Test
	void highAssuranceIsApprovedByTwoDifferentOfficersAndTheSameOfficerIsRefusedTwice() {
		String email = newMailbox();
		String requestId = submitted(email, "high-assurance", PHONE);
		awaitStatus(requestId, "PENDING_VALIDATION");

		assertThat(complete(requestId, OFFICER, "approve", "ID card checked").statusCode()).isEqualTo(204);
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
		assertThat(taskKey(requestId)).isEqualTo(Element.SECOND_APPROVAL);

		HttpResponse<String> sameOfficer = complete(requestId, OFFICER, "approve", null);
		assertThat(sameOfficer.statusCode()).as(sameOfficer.body()).isEqualTo(400);
		assertThat(sameOfficer.body()).contains("must come from a different validation officer");
		assertThat(taskKey(requestId)).as("the refused completion rolled back").isEqualTo(Element.SECOND_APPROVAL);

		assertThat(complete(requestId, SECOND_OFFICER, "approve", null).statusCode()).isEqualTo(204);
		JsonNode approved = awaitStatus(requestId, "APPROVED");
		assertThat(approved.get("decidedBy").asText()).isEqualTo(SECOND_OFFICER);
		assertThat(timeline(requestId)).anyMatch((line) -> line.startsWith("FIRST_APPROVAL by " + OFFICER))
			.anyMatch((line) -> line.startsWith("APPROVED by " + SECOND_OFFICER));

		// high-assurance issues in batches: it waits for an issuance run.
		HttpResponse<String> run = postJson("/api/v1/issuance-runs", java.util.Map.of(), ADMIN);
		assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
		awaitStatus(requestId, "ISSUED");
	}

	@Test
	void theOfficerWhoEnteredTheRequestCannotApproveItUnderDualControl() {
		String requestId = submitted(newMailbox(), "high-assurance", PHONE);
		awaitStatus(requestId, "PENDING_VALIDATION");
		// As for a request an RA admin entered on someone's behalf.
		this.jdbc.update("update certificate_request set created_by = ? where request_id = ?", SECOND_OFFICER,
				requestId);

		HttpResponse<String> requesterFirst = complete(requestId, SECOND_OFFICER, "approve", null);
		assertThat(requesterFirst.statusCode()).as(requesterFirst.body()).isEqualTo(400);
		assertThat(requesterFirst.body()).contains("You entered this request");
		assertThat(complete(requestId, OFFICER, "approve", null).statusCode()).isEqualTo(204);
		HttpResponse<String> requesterSecond = complete(requestId, SECOND_OFFICER, "approve", null);
		assertThat(requesterSecond.statusCode()).as(requesterSecond.body()).isEqualTo(400);
		assertThat(requesterSecond.body()).contains("You entered this request");

		// A rejection at the second step rejects, whoever gives it.
		assertThat(complete(requestId, SECOND_OFFICER, "reject", "Entered by mistake").statusCode()).isEqualTo(204);
		awaitStatus(requestId, "REJECTED");
	}

	@Test
	void anUnreadablePhoneNumberIsRefusedAndNothingIsStored() {
		String email = newMailbox();
		String requestId = invite(email);
		HttpResponse<String> refused = postJson("/api/v1/applications",
				Map.of("invitationToken", invitationToken(email), "csrPem", csrPem(newEcKey("secp256r1"), "CN=x"),
						"fullName", "Ada Applicant", "email", email, "phone", "call me <b>maybe</b>"),
				null);

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(body(refused).get("detail").asText()).contains("Phone number must be");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from request_event where request_id = ? and kind <> 'INVITED'", Integer.class,
				requestId))
			.isZero();
	}

	@Test
	void aDecisionOnARequestDecidedMeanwhileIsStaleAndChangesNothing() {
		String requestId = submittedRequest(newMailbox());
		assertThat(decide(requestId, "reject", "Not the applicant").statusCode()).isEqualTo(204);
		awaitStatus(requestId, "REJECTED");

		// The second officer's completion read the task before the first committed.
		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> this.validateApplication.decide(requestId, "approve", null, null, SECOND_OFFICER, false))
			.isInstanceOfSatisfying(org.certflow.request.RequestException.class,
					(ex) -> assertThat(ex.kind()).isEqualTo(org.certflow.request.RequestException.Kind.STALE))
			.hasMessageContaining("decided meanwhile");
		assertThat(request(requestId).get("status").asText()).isEqualTo("REJECTED");
	}

	@Test
	void twoOfficersCompletingTheSameTaskAtOnceGiveExactlyOneDecision() throws Exception {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		List<HttpResponse<String>> responses = atOnce(List.of(() -> completeTask(taskId, OFFICER, "approve", null),
				() -> completeTask(taskId, SECOND_OFFICER, "reject", "Not the applicant")));

		assertThat(responses.stream().filter((r) -> r.statusCode() == 204)).hasSize(1);
		assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isIn(204, 404, 409));
		awaitStatus(requestId, responses.get(0).statusCode() == 204 ? "ISSUED" : "REJECTED");
		assertThat(timeline(requestId).stream()
			.filter((line) -> line.startsWith("APPROVED") || line.startsWith("REJECTED"))).hasSize(1);
	}

	@Test
	void noTaskUserCanSetTheRoutingVariable() {
		String email = newMailbox();
		String requestId = invite(email);
		String instance = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(requestId)
			.singleResult()
			.getId();
		// Even a variable planted before the policy runs (only an administrator could)
		// does not steer it: the table's result is local to the policy task.
		HttpResponse<String> planted = put("/engine-rest/process-instance/" + instance + "/variables/policyResult",
				"{\"value\":\"AUTO_APPROVE\",\"type\":\"String\"}", ADMIN);
		assertThat(planted.statusCode()).as(planted.body()).isEqualTo(204);
		HttpResponse<String> submitted = submit(invitationToken(email), csrPem(newEcKey("secp256r1"), "CN=x"), email);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		awaitStatus(requestId, "PENDING_VALIDATION");
		String taskId = officerTaskId(requestId);

		HttpResponse<String> withRoute = postJson("/engine-rest/task/" + taskId + "/complete",
				Map.of("variables", Map.of("decision", Map.of("value", "defer"), "decisionReason", Map.of("value", "x"),
						"policyResult", Map.of("value", "AUTO_APPROVE"))),
				OFFICER);
		HttpResponse<String> taskVariable = put("/engine-rest/task/" + taskId + "/variables/policyResult",
				"{\"value\":\"AUTO_APPROVE\",\"type\":\"String\"}", OFFICER);
		HttpResponse<String> localVariable = put("/engine-rest/task/" + taskId + "/localVariables/earlierDecisions",
				"{\"value\":\"nothing to see\",\"type\":\"String\"}", OFFICER);
		HttpResponse<String> instanceVariable = put(
				"/engine-rest/process-instance/" + instance + "/variables/policyResult",
				"{\"value\":\"AUTO_APPROVE\",\"type\":\"String\"}", OFFICER);

		assertThat(withRoute.statusCode()).as(withRoute.body()).isEqualTo(400);
		assertThat(withRoute.body()).contains("policyResult");
		assertThat(taskVariable.statusCode()).as(taskVariable.body()).isEqualTo(403);
		assertThat(localVariable.statusCode()).as(localVariable.body()).isEqualTo(403);
		assertThat(instanceVariable.statusCode()).as(instanceVariable.body()).isIn(403, 404);
		assertThat(this.jdbc.queryForObject("select approval_route from certificate_request where request_id = ?",
				String.class, requestId))
			.isEqualTo("MANUAL");
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

	@Test
	void aDeferredRequestComesBackWithEveryEarlierDecisionAndTheApplicantIsTold() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "defer", "Waiting for the employer's confirmation").statusCode()).isEqualTo(204);
		awaitStatus(requestId, "DEFERRED");
		assertThat(awaitMail(email, "waiting")).contains("look at it again");

		Job deferral = this.management.createJobQuery()
			.processInstanceId(instanceOf(requestId))
			.timers()
			.singleResult();
		// The deferral date has come.
		this.management.executeJob(deferral.getId());
		awaitStatus(requestId, "PENDING_VALIDATION");

		String taskId = officerTaskId(requestId);
		JsonNode variables = body(get("/engine-rest/task/" + taskId + "/form-variables", OFFICER));
		assertThat(variables.get("applicantFullName").get("value").asText()).isEqualTo("Ada Applicant");
		assertThat(variables.get("subjectDn").get("value").asText()).contains(email);
		String earlier = variables.get("earlierDecisions").get("value").asText();
		assertThat(earlier).contains("ROUTED by policy: MANUAL", "DEFERRED by " + OFFICER + ": until",
				"Waiting for the employer's confirmation", "DEFERRAL_ELAPSED by system");
		assertThat(variables.has("decision")).as("the new task starts from a clean form").isFalse();
		// Tasklist's History tab lists the task's comments: the same decisions.
		HttpResponse<String> comments = get("/engine-rest/task/" + taskId + "/comment", OFFICER);
		assertThat(comments.statusCode()).as(comments.body()).isEqualTo(200);
		assertThat(comments.body()).contains("DEFERRED by " + OFFICER, "Waiting for the employer's confirmation");
	}

	@Test
	void aClassChangedAfterSubmissionDoesNotChangeTheRequest() {
		String requestId = submittedRequest(newMailbox());
		// An RA admin switches standard to batch issuance after the request was
		// submitted.
		this.jdbc.update("update certificate_class set issue_immediately = false where name = 'standard'");
		try {
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "ISSUED");
		}
		finally {
			this.jdbc.update("update certificate_class set issue_immediately = true where name = 'standard'");
		}
	}

	// --- helpers

	private String submitted(String email, String certificateClass, String phone) {
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", certificateClass), ADMIN);
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
		String requestId = body(invited).get("requestId").asText();
		Map<String, Object> application = new java.util.HashMap<>(Map.of("invitationToken", invitationToken(email),
				"csrPem", csrPem(newEcKey("secp256r1"), "CN=ignored"), "fullName", "Ada Applicant", "email", email));
		if (phone != null) {
			application.put("phone", phone);
		}
		HttpResponse<String> submitted = postJson("/api/v1/applications", application, null);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		return requestId;
	}

	private HttpResponse<String> complete(String requestId, String officer, String decision, String reason) {
		return completeTask(officerTaskId(requestId), officer, decision, reason);
	}

	private HttpResponse<String> completeTask(String taskId, String officer, String decision, String reason) {
		Map<String, Object> variables = (reason == null) ? Map.of("decision", Map.of("value", decision))
				: Map.of("decision", Map.of("value", decision), "decisionReason", Map.of("value", reason));
		return postJson("/engine-rest/task/" + taskId + "/complete", Map.of("variables", variables), officer);
	}

	private String taskKey(String requestId) {
		JsonNode tasks = body(get("/engine-rest/task?processInstanceBusinessKey=" + requestId, OFFICER));
		assertThat(tasks.size()).isEqualTo(1);
		return tasks.get(0).get("taskDefinitionKey").asText();
	}

	private String instanceOf(String requestId) {
		return this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).singleResult().getId();
	}

	private HttpResponse<String> put(String path, String json, String user) {
		return send(authenticated(HttpRequest.newBuilder(url(path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)), user));
	}

	/** The request's timeline as "KIND by actor: detail" lines, oldest first. */
	private List<String> timeline(String requestId) {
		return this.jdbc.query(
				"select kind, actor, detail from request_event where request_id = ? order by occurred_at, event_id",
				(rs, row) -> rs.getString(1) + " by " + rs.getString(2)
						+ ((rs.getString(3) != null) ? ": " + rs.getString(3) : ""),
				requestId);
	}

	private static <T> List<T> atOnce(List<Callable<T>> calls) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(calls.size());
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (Callable<T> call : calls) {
				futures.add(pool.submit(() -> {
					start.await();
					return call.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(2, TimeUnit.MINUTES));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
