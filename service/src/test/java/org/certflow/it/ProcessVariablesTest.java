package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.Job;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An officer decides, and nothing else: no variable of the task, its execution or its
 * process instance can be written, a completion carries only the decision fields, and the
 * process routes on our records, so even a variable that found its way into the instance
 * steers nothing.
 */
class ProcessVariablesTest extends IntegrationTest {

	private static final String PLANTED = "{\"value\":false,\"type\":\"Boolean\"}";

	@Autowired
	private RuntimeService runtime;

	@Autowired
	private TaskService taskService;

	@Autowired
	private ManagementService management;

	@Autowired
	private RepositoryService repository;

	@Autowired
	private ApplicationContext context;

	@Test
	void officerCannotWriteVariablesOfTheTaskItsExecutionOrItsProcessInstance() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);
		String instance = instanceOf(requestId);
		Map<String, Object> before = this.runtime.getVariables(instance);
		String modification = "{\"modifications\":{\"issueImmediately\":" + PLANTED
				+ "},\"deletions\":[\"requestId\"]}";

		List<HttpResponse<String>> attempts = List.of(
				call("PUT", "/engine-rest/task/" + taskId + "/variables/issueImmediately", PLANTED),
				call("PUT", "/engine-rest/task/" + taskId + "/localVariables/issueImmediately", PLANTED),
				call("POST", "/engine-rest/task/" + taskId + "/variables", modification),
				call("POST", "/engine-rest/task/" + taskId + "/localVariables", modification),
				call("DELETE", "/engine-rest/task/" + taskId + "/variables/applicantEmail", null),
				call("PUT", "/engine-rest/execution/" + instance + "/localVariables/issueImmediately", PLANTED),
				call("POST", "/engine-rest/execution/" + instance + "/localVariables", modification),
				call("PUT", "/engine-rest/process-instance/" + instance + "/variables/issueImmediately", PLANTED),
				call("POST", "/engine-rest/process-instance/" + instance + "/variables", modification),
				call("DELETE", "/engine-rest/process-instance/" + instance + "/variables/applicantEmail", null),
				call("POST", "/engine-rest/process-instance/" + instance + "/modification",
						"{\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\""
								+ Element.SIGN_CERTIFICATE + "\"}]}"),
				call("POST", "/engine-rest/message",
						"{\"messageName\":\"IssuanceReleased\",\"businessKey\":\"" + requestId + "\"}"),
				call("PUT", "/engine-rest/task/" + taskId, "{\"name\":\"renamed\",\"assignee\":\"admin\"}"),
				call("POST", "/engine-rest/task/" + taskId + "/bpmnError", "{\"errorCode\":\"ISSUANCE_REFUSED\"}"),
				call("POST", "/engine-rest/task/" + taskId + "/bpmnEscalation", "{\"escalationCode\":\"x\"}"));

		assertThat(attempts).allSatisfy((response) -> assertThat(response.statusCode()).as(response.body())
			.isBetween(400, 499)
			.isNotEqualTo(404));
		assertThat(this.runtime.getVariables(instance)).isEqualTo(before);
		assertThat(this.taskService.createTaskQuery().taskId(taskId).singleResult().getName())
			.startsWith("Validate application");
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

	@Test
	void completionWithAnyVariableBesideTheDecisionIsRefusedNamingIt() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		HttpResponse<String> activation = complete(taskId, "/complete",
				"\"decision\":{\"value\":\"approve\"},\"activationValidity\":{\"value\":\"PT1S\"}");
		HttpResponse<String> routing = complete(taskId, "/submit-form",
				"\"decision\":{\"value\":\"approve\"},\"issueImmediately\":" + PLANTED);

		assertThat(activation.statusCode()).isEqualTo(400);
		assertThat(body(activation).get("message").asText()).contains("activationValidity")
			.doesNotContain("issueImmediately");
		assertThat(routing.statusCode()).isEqualTo(400);
		assertThat(body(routing).get("message").asText()).contains("issueImmediately");
		assertUntouched(requestId, taskId);
	}

	@Test
	void noSpellingOfTheCompletionPathSkipsTheCheck() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);
		String extra = "\"decision\":{\"value\":\"approve\"},\"issueImmediately\":" + PLANTED;

		for (String path : List.of("/complete/", "/complete//", "//complete", "/./complete", "/complete;jsessionid=1",
				"/%63omplete", "/complete%2F", "/Complete", "/COMPLETE", "/submit-form/", "/resolve")) {
			HttpResponse<String> response = complete(taskId, path, extra);
			assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(400, 499);
		}
		HttpResponse<String> doubled = call("POST", "/engine-rest//task/" + taskId + "/complete",
				"{\"variables\":{" + extra + "}}");
		assertThat(doubled.statusCode()).as(doubled.body()).isEqualTo(400);
		assertUntouched(requestId, taskId);
	}

	@Test
	void approvalIssuesByTheClassAndTheActivationExpiresByConfigurationWhateverVariablesSay() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		String instance = instanceOf(requestId);
		// Suppose the variables got there anyway (an old model, an administrator's slip).
		this.runtime.setVariables(instance, Map.of("issueImmediately", false, "activationValidity", "PT1S",
				"invitationValidity", "PT1S", "requestAcceptable", false));

		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);

		awaitStatus(requestId, "ISSUED");
		activation(email);
		Job expiry = awaitTimer(instance, Element.ACTIVATION_EXPIRED);
		// certflow.activation.validity is P30D.
		assertThat(expiry.getDuedate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));
	}

	@Test
	void requestsRunningOnAnOlderModelAreMovedToTheNewestAtStartUp() {
		String requestId = submittedRequest(newMailbox());
		String instance = instanceOf(requestId);
		String current = this.runtime.createProcessInstanceQuery()
			.processInstanceId(instance)
			.singleResult()
			.getProcessDefinitionId();
		// The model before issue 6 read issueImmediately from a variable: put a request
		// on
		// it, with the variable an officer could once write.
		String legacy = deploy("certflow-before-6", null, "legacy/certificate-request-before-6.bpmn");
		this.runtime.newMigration(this.runtime.createMigrationPlan(current, legacy).mapEqualActivities().build())
			.processInstanceIds(instance)
			.execute();
		this.runtime.setVariable(instance, "issueImmediately", false);
		String shipped = deploy("certflow", "certflow-service", CertificateRequestProcess.BPMN_RESOURCE);

		this.context.getBean("processDeployment", SmartInitializingSingleton.class).afterSingletonsInstantiated();

		assertThat(this.runtime.createProcessInstanceQuery()
			.processInstanceId(instance)
			.singleResult()
			.getProcessDefinitionId()).isEqualTo(shipped);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
	}

	private String deploy(String name, String source, String bpmn) {
		return this.repository.createDeployment()
			.name(name)
			.source(source)
			.addClasspathResource(bpmn)
			.addClasspathResource(CertificateRequestProcess.VALIDATION_FORM_RESOURCE)
			.deployWithResult()
			.getDeployedProcessDefinitions()
			.get(0)
			.getId();
	}

	@Test
	void deferralReturnsOnTheRecordedDayWhateverVariablesSay() {
		String requestId = submittedRequest(newMailbox());
		String instance = instanceOf(requestId);
		this.runtime.setVariable(instance, "deferredUntil", Date.from(Instant.now().minusSeconds(3600)));
		LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(20);

		HttpResponse<String> deferred = complete(officerTaskId(requestId), "/complete",
				"\"decision\":{\"value\":\"defer\"},\"decisionReason\":{\"value\":\"Waiting for the employer\"},"
						+ "\"deferUntil\":{\"value\":\"" + day + "\"}");

		assertThat(deferred.statusCode()).as(deferred.body()).isEqualTo(204);
		awaitStatus(requestId, "DEFERRED");
		assertThat(this.jdbc
			.queryForObject("select deferred_until from certificate_request where request_id = ?",
					java.sql.Timestamp.class, requestId)
			.toInstant()).as("recorded with the decision").isEqualTo(day.atStartOfDay(ZoneOffset.UTC).toInstant());
		assertThat(awaitTimer(instance, Element.DEFERRAL_ELAPSED).getDuedate().toInstant())
			.isEqualTo(day.atStartOfDay(ZoneOffset.UTC).toInstant());
	}

	@Test
	void engineRefusesAWrongDecisionAsAFormValidationFailureNotAWrappedError() {
		String requestId = submittedRequest(newMailbox());
		String taskId = officerTaskId(requestId);

		// Past the REST filter, as a Java caller would be: the engine's own check must
		// surface as the validation failure it is (REST answers those with 400).
		assertThatThrownBy(() -> this.taskService.complete(taskId, Map.of("decision", "maybe")))
			.isInstanceOf(FormFieldValidationException.class)
			.hasMessageContaining("decision must be one of approve, reject or defer");
		assertUntouched(requestId, taskId);
	}

	private void assertUntouched(String requestId, String taskId) {
		assertThat(this.taskService.createTaskQuery().taskId(taskId).count()).as("task still open").isOne();
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
		assertThat(this.runtime.getVariables(instanceOf(requestId))).doesNotContainKeys("issueImmediately",
				"activationValidity", "decision");
	}

	private HttpResponse<String> complete(String taskId, String action, String variables) {
		return call("POST", "/engine-rest/task/" + taskId + action, "{\"variables\":{" + variables + "}}");
	}

	private HttpResponse<String> call(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
			.header("Content-Type", "application/json")
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		return send(authenticated(request, OFFICER));
	}

	private String instanceOf(String requestId) {
		return this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).singleResult().getId();
	}

	private Job awaitTimer(String instance, String activityId) {
		for (int i = 0; i < 200; i++) {
			Job timer = this.management.createJobQuery()
				.processInstanceId(instance)
				.activityId(activityId)
				.timers()
				.singleResult();
			if (timer != null) {
				return timer;
			}
			pause();
		}
		throw new AssertionError("No timer at " + activityId);
	}

}
