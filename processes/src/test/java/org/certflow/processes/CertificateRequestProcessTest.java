package org.certflow.processes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.certflow.processes.CertificateRequestProcess.ApprovalRoute;
import org.certflow.processes.CertificateRequestProcess.Bean;
import org.certflow.processes.CertificateRequestProcess.Decision;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.CertificateRequestProcess.Message;
import org.certflow.processes.CertificateRequestProcess.PolicyFact;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.externalTaskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives {@code certificate-request.bpmn} through every path with stubbed delegates. The
 * job executor is off, so each asynchronous continuation and timer is executed by hand
 * right after the test has asserted that the instance waits there.
 */
@Deployment(resources = { CertificateRequestProcess.BPMN_RESOURCE, CertificateRequestProcess.DMN_RESOURCE,
		CertificateRequestProcess.VALIDATION_FORM_RESOURCE })
class CertificateRequestProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension engine = ProcessEngineCoverageExtension.builder()
		.assertClassCoverageAtLeast(1.0)
		.build();

	private static final String REQUEST_ID = "REQ-2026-0042";

	private static final String WORKER_ID = "test-signer";

	private static final long LOCK_MILLIS = 60_000;

	/**
	 * Timers are computed from the engine clock; a fixed clock makes their due dates
	 * exact.
	 */
	private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

	private static final String REFUSAL_REASON = "The certificate class is closed to new requests.";

	private final List<String> calls = new ArrayList<>();

	private boolean requestAcceptable = true;

	private boolean issueImmediately = true;

	/** Whether the request's key source, as recorded, is SERVER. */
	private boolean keyMadeByServer;

	/** The decision as the service records it on completing the officer's task. */
	private String recordedDecision;

	/** The facts the service would compute for the approval policy. */
	private final Map<String, Object> facts = new HashMap<>(Map.of(PolicyFact.CERTIFICATE_CLASS, "standard",
			PolicyFact.DOMAIN_ALLOWED, false, PolicyFact.PHONE_GIVEN, false, PolicyFact.PHONE_REQUIRED, false,
			PolicyFact.PIN_VERIFIED, false, PolicyFact.PIN_REQUIRED, false));

	/** The route and reason as the service records them when the policy task ends. */
	private String recordedRoute;

	private String recordedRouteReason;

	/** Whether the stubbed publishing fails, as during a directory outage. */
	private boolean directoryDown;

	/** Officers whose completions the stub listener saw, in order, with their task. */
	private final List<String> decisionTasks = new ArrayList<>();

	@BeforeEach
	void registerStubsAndFixClock() {
		BpmnAwareTests.init(engine.getProcessEngine());
		ClockUtil.setCurrentTime(Date.from(NOW));
		Mocks.register(Bean.SEND_INVITATION, recording(Bean.SEND_INVITATION));
		Mocks.register(Bean.SEND_ACTIVATION, recording(Bean.SEND_ACTIVATION));
		Mocks.register(Bean.RECORD_BILLING, recording(Bean.RECORD_BILLING));
		Mocks.register(Bean.GENERATE_KEY_PAIR, recording(Bean.GENERATE_KEY_PAIR));
		Mocks.register(Bean.SEND_REJECTION, recording(Bean.SEND_REJECTION));
		Mocks.register(Bean.PUBLISH_CERTIFICATE, (JavaDelegate) (execution) -> {
			if (this.directoryDown) {
				throw new IllegalStateException("directory unreachable");
			}
			this.calls.add(Bean.PUBLISH_CERTIFICATE);
		});
		Mocks.register(Bean.EXPIRE_REQUEST, recording(Bean.EXPIRE_REQUEST));
		Mocks.register(Bean.ESCALATE_VALIDATION, recording(Bean.ESCALATE_VALIDATION));
		Mocks.register(Bean.RECORD_ISSUANCE, (ExecutionListener) (execution) -> this.calls
			.add(Bean.RECORD_ISSUANCE + ":" + execution.getEventName()));
		Mocks.register(Bean.CHECK_REQUEST, (JavaDelegate) (execution) -> {
			this.calls.add(Bean.CHECK_REQUEST);
			execution.setVariable(Variable.REQUEST_ACCEPTABLE, this.requestAcceptable);
			if (!this.requestAcceptable) {
				execution.setVariable(Variable.DECISION_REASON, REFUSAL_REASON);
			}
		});
		Mocks.register(Bean.VALIDATION_TASK_LISTENER, (TaskListener) (task) -> {
			this.calls.add(Bean.VALIDATION_TASK_LISTENER + ":" + task.getEventName());
			if (TaskListener.EVENTNAME_COMPLETE.equals(task.getEventName())) {
				this.recordedDecision = (String) task.getVariable(Variable.DECISION);
				this.decisionTasks.add(task.getTaskDefinitionKey() + ":" + this.recordedDecision);
			}
		});
		Mocks.register(Bean.RECORD_APPROVAL_ROUTE, (ExecutionListener) (execution) -> {
			@SuppressWarnings("unchecked")
			Map<String, Object> result = (Map<String, Object>) execution.getVariable(Variable.POLICY_RESULT);
			this.recordedRoute = (String) result.get(PolicyFact.ROUTE);
			this.recordedRouteReason = (String) result.get(PolicyFact.REASON);
		});
		Mocks.register(Bean.REQUEST_ROUTING, new StubRouting());
	}

	@AfterEach
	void resetStubsAndClock() {
		Mocks.reset();
		ClockUtil.reset();
		BpmnAwareTests.reset();
	}

	@Test
	void approvedRequestIssuedImmediatelyIsDeliveredWhenTheApplicantCollects() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		Task validation = task(Element.VALIDATE_APPLICATION, request);
		assertThat(validation).hasCandidateGroup(CertificateRequestProcess.OFFICER_GROUP);
		assertThat(formService().getDeployedTaskForm(validation.getId())).asString(StandardCharsets.UTF_8)
			.contains("\"id\": \"validate-application\"");
		decide(request, Decision.APPROVE, null);

		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		signAndDeliver(request);

		assertThat(request)
			.hasPassedInOrder(Element.START, Element.SEND_INVITATION, Element.AWAIT_APPLICATION, Element.CHECK_REQUEST,
					Element.GATEWAY_REQUEST_ACCEPTABLE, Element.VALIDATE_APPLICATION, Element.GATEWAY_DECISION,
					Element.GATEWAY_ISSUE_IMMEDIATELY, Element.SIGN_CERTIFICATE, Element.RECORD_BILLING,
					Element.SEND_ACTIVATION, Element.AWAIT_COLLECTION, Element.END_DELIVERED)
			.hasNotPassed(Element.AWAIT_ISSUANCE_RELEASE, Element.SEND_REJECTION)
			.isEnded();
		assertThat(this.calls).containsExactly(Bean.SEND_INVITATION, Bean.CHECK_REQUEST,
				Bean.VALIDATION_TASK_LISTENER + ":" + TaskListener.EVENTNAME_CREATE,
				Bean.VALIDATION_TASK_LISTENER + ":" + TaskListener.EVENTNAME_COMPLETE,
				Bean.RECORD_ISSUANCE + ":" + ExecutionListener.EVENTNAME_END, Bean.RECORD_BILLING, Bean.SEND_ACTIVATION,
				Bean.PUBLISH_CERTIFICATE);
	}

	@Test
	void approvedBatchRequestIsSignedOnlyAfterTheIssuanceIsReleased() {
		ProcessInstance request = startRequest(false);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);

		assertThat(request).isWaitingAt(Element.AWAIT_ISSUANCE_RELEASE);
		assertThat(externalTaskService().createExternalTaskQuery()
			.topicName(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE)
			.count()).isZero();

		// The scheduled batch process releases the request by its business key.
		runtimeService().createMessageCorrelation(Message.ISSUANCE_RELEASED)
			.processInstanceBusinessKey(REQUEST_ID)
			.correlate();

		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		signAndDeliver(request);
		assertThat(request).hasPassed(Element.AWAIT_ISSUANCE_RELEASE).isEnded();
	}

	@Test
	void officerRejectionSendsTheRejectionAndEndsTheRequest() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.REJECT, "The subject does not match the identity document.");

		assertThat(request).isWaitingAt(Element.SEND_REJECTION)
			.variables()
			.containsEntry(Variable.DECISION_REASON, "The subject does not match the identity document.");
		// Asynchronous continuation before the rejection mail.
		execute(job(Element.SEND_REJECTION, request));

		assertThat(request).hasPassed(Element.END_REJECTED).hasNotPassed(Element.SIGN_CERTIFICATE).isEnded();
		assertThat(this.calls).endsWith(Bean.SEND_REJECTION);
	}

	@Test
	void deferredApplicationReturnsToTheOfficersWhenTheDeferralElapses() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.DEFER, "Waiting for the applicant's employer to confirm.");

		assertThat(request).isWaitingAt(Element.DEFERRAL_ELAPSED);
		assertThat(taskService().createTaskQuery().processInstanceId(request.getId()).count()).isZero();
		Job deferral = job(Element.DEFERRAL_ELAPSED, request);
		assertThat(deferral.getDuedate()).isEqualTo(Date.from(NOW.plus(7, ChronoUnit.DAYS)));
		// Timer job: the deferral has elapsed.
		execute(deferral);

		assertThat(request).isWaitingAt(Element.VALIDATE_APPLICATION);
		assertThat(this.calls).containsSubsequence(
				Bean.VALIDATION_TASK_LISTENER + ":" + TaskListener.EVENTNAME_COMPLETE,
				Bean.VALIDATION_TASK_LISTENER + ":" + TaskListener.EVENTNAME_CREATE);
		decide(request, Decision.APPROVE, null);

		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
	}

	@Test
	void validationLeftUndecidedIsEscalatedAndStaysOpenForTheOfficers() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		Job escalation = job(Element.VALIDATION_ESCALATED, request);
		assertThat(escalation.getDuedate()).isEqualTo(Date.from(NOW.plus(8, ChronoUnit.HOURS)));
		// Timer job: eight hours without a decision; then the escalation's own job.
		execute(escalation);
		execute(job(Element.ESCALATE_VALIDATION, request));

		assertThat(request).hasPassed(Element.ESCALATE_VALIDATION, Element.END_ESCALATED)
			.isWaitingAt(Element.VALIDATE_APPLICATION);
		assertThat(this.calls).endsWith(Bean.ESCALATE_VALIDATION);
		decide(request, Decision.APPROVE, null);
		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		assertThat(managementService().createJobQuery().processInstanceId(request.getId()).timers().count())
			.as("no escalation timer left once the task is decided")
			.isZero();
	}

	@Test
	void aTaskBackFromDeferralGetsAFreshEscalationTime() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.DEFER, "Waiting for the employer.");
		assertThat(managementService().createJobQuery().activityId(Element.VALIDATION_ESCALATED).count()).isZero();
		ClockUtil.setCurrentTime(Date.from(NOW.plus(7, ChronoUnit.DAYS)));
		execute(job(Element.DEFERRAL_ELAPSED, request));

		assertThat(job(Element.VALIDATION_ESCALATED, request).getDuedate())
			.isEqualTo(Date.from(NOW.plus(7, ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS)));
	}

	@Test
	void unacceptableRequestIsRejectedWithoutReachingTheOfficers() {
		this.requestAcceptable = false;
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		assertThat(request).isWaitingAt(Element.SEND_REJECTION)
			.variables()
			.containsEntry(Variable.REQUEST_ACCEPTABLE, false)
			.containsEntry(Variable.DECISION_REASON, REFUSAL_REASON);
		// Asynchronous continuation before the rejection mail.
		execute(job(Element.SEND_REJECTION, request));

		assertThat(request).hasPassed(Element.END_REJECTED).hasNotPassed(Element.VALIDATE_APPLICATION).isEnded();
		assertThat(this.calls).containsExactly(Bean.SEND_INVITATION, Bean.CHECK_REQUEST, Bean.SEND_REJECTION);
	}

	@Test
	void issuanceRefusedByTheCaRejectsTheRequest() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);

		LockedExternalTask signing = fetchSigningTask();
		externalTaskService().handleBpmnError(signing.getId(), WORKER_ID,
				CertificateRequestProcess.ERROR_ISSUANCE_REFUSED, "Key is on the compromised-key list.");

		assertThat(request).hasPassed(Element.ISSUANCE_REFUSED).isWaitingAt(Element.SEND_REJECTION);
		// The model carries the CA's message into the reason the rejection mail gives.
		assertThat(runtimeService().getVariable(request.getId(), Variable.DECISION_REASON))
			.isEqualTo("Key is on the compromised-key list.");
		// Asynchronous continuation before the rejection mail.
		execute(job(Element.SEND_REJECTION, request));

		assertThat(request).hasPassed(Element.END_REJECTED).hasNotPassed(Element.SEND_ACTIVATION).isEnded();
	}

	@Test
	void serverMadeKeyIsGeneratedRightBeforeSigning() {
		this.keyMadeByServer = true;
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);

		// Asynchronous continuation before the key generation: a failure there retries
		// the job and never repeats the approval.
		assertThat(request).isWaitingAt(Element.GENERATE_KEY_PAIR);
		assertThat(this.calls).doesNotContain(Bean.GENERATE_KEY_PAIR);
		execute(job(Element.GENERATE_KEY_PAIR, request));
		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		signAndDeliver(request);

		assertThat(request)
			.hasPassedInOrder(Element.GATEWAY_ISSUE_IMMEDIATELY, Element.GATEWAY_KEY_MADE_BY_SERVER,
					Element.GENERATE_KEY_PAIR, Element.SIGN_CERTIFICATE, Element.SEND_ACTIVATION, Element.END_DELIVERED)
			.isEnded();
		assertThat(this.calls).containsSubsequence(Bean.GENERATE_KEY_PAIR,
				Bean.RECORD_ISSUANCE + ":" + ExecutionListener.EVENTNAME_END, Bean.SEND_ACTIVATION);
	}

	@Test
	void applicantsOwnKeyGoesStraightToSigning() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		// A variable planted to look like a server-made key changes nothing: the gateway
		// asks the records.
		runtimeService().setVariables(request.getId(), withVariables("keyMadeByServer", true, "keySource", "SERVER"));
		decide(request, Decision.APPROVE, null);

		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		assertThat(request).hasPassed(Element.GATEWAY_KEY_MADE_BY_SERVER).hasNotPassed(Element.GENERATE_KEY_PAIR);
	}

	@Test
	void routingFollowsTheRecordsWhateverTheVariablesSay() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		// Variables an attacker might plant: none of them may steer the request.
		runtimeService().setVariables(request.getId(), withVariables("issueImmediately", false, "activationValidity",
				"PT1S", "deferredUntil", Date.from(NOW), Variable.DECISION, Decision.REJECT.value()));
		decide(request, Decision.APPROVE, null);

		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		complete(fetchSigningTask());
		assertThat(job(Element.ACTIVATION_EXPIRED, request).getDuedate())
			.isEqualTo(Date.from(NOW.plus(30, ChronoUnit.DAYS)));
	}

	@Test
	void aPresetRequestAcceptableIsOverwrittenByTheCheckBeforeItsGatewayReadsIt() {
		ProcessInstance request = startRequest(true);
		runtimeService().setVariable(request.getId(), Variable.REQUEST_ACCEPTABLE, false);
		submitApplication(request);

		assertThat(request).isWaitingAt(Element.VALIDATE_APPLICATION).hasNotPassed(Element.SEND_REJECTION);
	}

	@Test
	void invitationExpiresWhenTheApplicantNeverApplies() {
		ProcessInstance request = startRequest(true);

		Job expiry = job(Element.INVITATION_EXPIRED, request);
		assertThat(expiry.getDuedate()).isEqualTo(Date.from(NOW.plus(14, ChronoUnit.DAYS)));
		// Timer job: the invitation validity has passed.
		execute(expiry);
		assertThat(request).isWaitingAt(Element.EXPIRE_INVITATION);
		// Asynchronous continuation before the request is marked expired.
		execute(job(Element.EXPIRE_INVITATION, request));

		assertThat(request).hasPassed(Element.END_INVITATION_EXPIRED).hasNotPassed(Element.CHECK_REQUEST).isEnded();
		assertThat(this.calls).containsExactly(Bean.SEND_INVITATION, Bean.EXPIRE_REQUEST);
	}

	@Test
	void activationExpiresWhenTheApplicantNeverCollects() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		complete(fetchSigningTask());

		Job expiry = job(Element.ACTIVATION_EXPIRED, request);
		assertThat(expiry.getDuedate()).isEqualTo(Date.from(NOW.plus(30, ChronoUnit.DAYS)));
		// Timer job: the activation code validity has passed.
		execute(expiry);
		assertThat(request).isWaitingAt(Element.EXPIRE_ACTIVATION);
		// Asynchronous continuation before the request is marked expired.
		execute(job(Element.EXPIRE_ACTIVATION, request));
		assertThat(request).hasPassed(Element.END_ACTIVATION_EXPIRED).isWaitingAt(Element.PUBLISH_CERTIFICATE);
		// Asynchronous continuation before publishing; the service decides from its
		// records whether an expired activation still publishes.
		execute(job(Element.PUBLISH_CERTIFICATE, request));

		assertThat(request).hasPassed(Element.END_ACTIVATION_EXPIRED).hasNotPassed(Element.END_DELIVERED).isEnded();
		assertThat(this.calls).endsWith(Bean.SEND_ACTIVATION, Bean.EXPIRE_REQUEST, Bean.PUBLISH_CERTIFICATE);
	}

	@Test
	void theApplicantCollectsWhilePublishingStillWaitsOnItsOwnBranch() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		complete(fetchSigningTask());

		assertThat(request).hasPassed(Element.GATEWAY_CERTIFICATE_ISSUED)
			.isWaitingAt(Element.AWAIT_COLLECTION, Element.PUBLISH_CERTIFICATE);
		collect();
		assertThat(request).hasPassed(Element.END_DELIVERED).isWaitingAt(Element.PUBLISH_CERTIFICATE).isNotEnded();
		assertThat(this.calls).doesNotContain(Bean.PUBLISH_CERTIFICATE);

		// Asynchronous continuation before publishing.
		execute(job(Element.PUBLISH_CERTIFICATE, request));
		assertThat(request).hasPassed(Element.PUBLISH_CERTIFICATE, Element.END_PUBLISHED, Element.END_DELIVERED)
			.isEnded();
	}

	@Test
	void aDirectoryOutageRetriesPublishingForHoursThenRaisesAnIncidentAndCollectionStillWorks() {
		this.directoryDown = true;
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		complete(fetchSigningTask());

		List<Duration> cycle = Arrays.stream(CertificateRequestProcess.PUBLISH_RETRY_INTERVALS.split(","))
			.map(Duration::parse)
			.toList();
		List<Duration> waited = new ArrayList<>();
		Job publishing = job(Element.PUBLISH_CERTIFICATE, request);
		while (publishing.getRetries() > 0) {
			// Asynchronous continuation before publishing: the attempt fails, rolls back
			// to the wait state and the job waits the cycle's next interval.
			assertThatThrownBy(() -> execute(job(Element.PUBLISH_CERTIFICATE, request)))
				.isInstanceOf(RuntimeException.class);
			publishing = job(Element.PUBLISH_CERTIFICATE, request);
			assertThat(publishing.getExceptionMessage()).contains("directory unreachable");
			if (publishing.getRetries() > 0) {
				waited
					.add(Duration.between(ClockUtil.getCurrentTime().toInstant(), publishing.getDuedate().toInstant()));
			}
		}
		assertThat(waited).as("waits between attempts").hasSizeGreaterThanOrEqualTo(cycle.size() - 1);
		assertThat(cycle).startsWith(waited.toArray(Duration[]::new));
		assertThat(waited.stream().reduce(Duration.ZERO, Duration::plus)).as("an outage of hours is waited out")
			.isGreaterThan(Duration.ofHours(4));
		assertThat(runtimeService().createIncidentQuery()
			.processInstanceId(request.getId())
			.activityId(Element.PUBLISH_CERTIFICATE)
			.count()).as("incident in Cockpit").isEqualTo(1);

		// Collection does not wait for the directory.
		collect();
		assertThat(request).hasPassed(Element.END_DELIVERED).isNotEnded();

		// The directory is back; an operator retries the job from Cockpit.
		this.directoryDown = false;
		managementService().setJobRetries(publishing.getId(), 1);
		execute(job(Element.PUBLISH_CERTIFICATE, request));
		assertThat(request).hasPassed(Element.END_PUBLISHED).isEnded();
		assertThat(this.calls).containsOnlyOnce(Bean.PUBLISH_CERTIFICATE);
	}

	// --- the approval policy table (approval-policy.dmn, as shipped) -------------------

	@Test
	void standardClassIsRoutedToOneOfficerByThePolicy() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		assertThat(request).hasPassedInOrder(Element.APPLY_APPROVAL_POLICY, Element.GATEWAY_APPROVAL_ROUTE)
			.isWaitingAt(Element.VALIDATE_APPLICATION);
		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.MANUAL.name());
		assertThat(this.recordedRouteReason).contains("standard");
		// Facts and result stay local to the policy task: no process variable a task
		// user could later write ever carried the route.
		assertThat(runtimeService().getVariables(request.getId())).doesNotContainKeys(Variable.POLICY_RESULT,
				PolicyFact.CERTIFICATE_CLASS, PolicyFact.DOMAIN_ALLOWED, PolicyFact.PHONE_GIVEN);
	}

	@Test
	void autoDomainWithAListedDomainIsIssuedWithoutAnOfficer() {
		this.facts.put(PolicyFact.CERTIFICATE_CLASS, "auto-domain");
		this.facts.put(PolicyFact.DOMAIN_ALLOWED, true);
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.AUTO_APPROVE.name());
		assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE);
		signAndDeliver(request);
		assertThat(request).hasNotPassed(Element.VALIDATE_APPLICATION, Element.SECOND_APPROVAL).isEnded();
		assertThat(this.calls).doesNotContain(Bean.VALIDATION_TASK_LISTENER + ":" + TaskListener.EVENTNAME_CREATE);
	}

	@Test
	void autoDomainWithAnotherDomainGoesToAnOfficer() {
		this.facts.put(PolicyFact.CERTIFICATE_CLASS, "auto-domain");
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.MANUAL.name());
		assertThat(this.recordedRouteReason).contains("not on the class's list");
		assertThat(request).isWaitingAt(Element.VALIDATE_APPLICATION);
	}

	@Test
	void highAssuranceWithoutAPhoneIsRejectedByThePolicy() {
		this.facts.put(PolicyFact.CERTIFICATE_CLASS, "high-assurance");
		this.facts.put(PolicyFact.PHONE_REQUIRED, true);
		ProcessInstance request = startRequest(false);
		submitApplication(request);

		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.AUTO_REJECT.name());
		assertThat(this.recordedRouteReason).contains("requires a phone number");
		assertThat(request).isWaitingAt(Element.SEND_REJECTION);
		// Asynchronous continuation before the rejection mail.
		execute(job(Element.SEND_REJECTION, request));
		assertThat(request).hasPassed(Element.END_REJECTED).hasNotPassed(Element.VALIDATE_APPLICATION).isEnded();
	}

	@Test
	void missingVerifiedPinDefersTheRequestThenAnOfficerDecides() {
		this.facts.put(PolicyFact.PIN_REQUIRED, true);
		ProcessInstance request = startRequest(true);
		submitApplication(request);

		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.DEFER.name());
		assertThat(request).isWaitingAt(Element.DEFERRAL_ELAPSED).hasNotPassed(Element.VALIDATE_APPLICATION);
		// Timer job: the deferral has elapsed.
		execute(job(Element.DEFERRAL_ELAPSED, request));
		assertThat(request).isWaitingAt(Element.VALIDATE_APPLICATION);
	}

	@Test
	void aSecondApprovalLeftUndecidedIsEscalatedToo() {
		highAssuranceWithPhone();
		ProcessInstance request = startRequest(false);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		assertThat(request).isWaitingAt(Element.SECOND_APPROVAL);

		execute(job(Element.SECOND_APPROVAL_ESCALATED, request));
		execute(job(Element.ESCALATE_VALIDATION, request));

		assertThat(request).hasPassed(Element.END_ESCALATED).isWaitingAt(Element.SECOND_APPROVAL);
		assertThat(this.calls).endsWith(Bean.ESCALATE_VALIDATION);
	}

	@Test
	void highAssuranceNeedsASecondApprovalBeforeIssuance() {
		highAssuranceWithPhone();
		ProcessInstance request = startRequest(false);
		submitApplication(request);

		assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.DUAL_CONTROL.name());
		decide(request, Decision.APPROVE, null);
		assertThat(request).hasPassed(Element.GATEWAY_DUAL_CONTROL).isWaitingAt(Element.SECOND_APPROVAL);
		assertThat(task(Element.SECOND_APPROVAL, request)).hasCandidateGroup(CertificateRequestProcess.OFFICER_GROUP);
		decide(request, Element.SECOND_APPROVAL, Decision.APPROVE, null);

		assertThat(request).hasPassed(Element.GATEWAY_SECOND_DECISION).isWaitingAt(Element.AWAIT_ISSUANCE_RELEASE);
		assertThat(this.decisionTasks).containsExactly(Element.VALIDATE_APPLICATION + ":approve",
				Element.SECOND_APPROVAL + ":approve");
	}

	@Test
	void rejectionAtTheSecondApprovalRejects() {
		highAssuranceWithPhone();
		ProcessInstance request = startRequest(false);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		decide(request, Element.SECOND_APPROVAL, Decision.REJECT, "Identity document expired.");

		assertThat(request).isWaitingAt(Element.SEND_REJECTION);
		// Asynchronous continuation before the rejection mail.
		execute(job(Element.SEND_REJECTION, request));
		assertThat(request).hasPassed(Element.END_REJECTED).hasNotPassed(Element.SIGN_CERTIFICATE).isEnded();
	}

	@Test
	void deferralAtTheSecondApprovalSendsTheRequestBackToTheFirstStep() {
		highAssuranceWithPhone();
		ProcessInstance request = startRequest(false);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		decide(request, Element.SECOND_APPROVAL, Decision.DEFER, "Waiting for the supervisor's call.");

		assertThat(request).isWaitingAt(Element.DEFERRAL_ELAPSED);
		// Timer job: the deferral has elapsed.
		execute(job(Element.DEFERRAL_ELAPSED, request));
		assertThat(request).isWaitingAt(Element.VALIDATE_APPLICATION);
	}

	@Test
	void aChangedPolicyTableDeployedByADesignerChangesTheRouting() {
		String table = new String(readResource(CertificateRequestProcess.DMN_RESOURCE), StandardCharsets.UTF_8);
		// The designer makes "standard" automatic, as they would in the Modeler.
		String changed = table.replaceFirst("(OutputEntry_StandardRoute\">\\s*<text>)\"MANUAL\"", "$1\"AUTO_APPROVE\"");
		assertThat(changed).isNotEqualTo(table);
		String deployment = engine.getProcessEngine()
			.getRepositoryService()
			.createDeployment()
			.addString(CertificateRequestProcess.DMN_RESOURCE, changed)
			.deploy()
			.getId();
		try {
			ProcessInstance request = startRequest(true);
			submitApplication(request);

			assertThat(this.recordedRoute).isEqualTo(ApprovalRoute.AUTO_APPROVE.name());
			assertThat(request).isWaitingAt(Element.SIGN_CERTIFICATE).hasNotPassed(Element.VALIDATE_APPLICATION);
		}
		finally {
			engine.getProcessEngine().getRepositoryService().deleteDeployment(deployment, true);
		}
	}

	private void highAssuranceWithPhone() {
		this.facts.put(PolicyFact.CERTIFICATE_CLASS, "high-assurance");
		this.facts.put(PolicyFact.PHONE_REQUIRED, true);
		this.facts.put(PolicyFact.PHONE_GIVEN, true);
	}

	private static byte[] readResource(String name) {
		try (java.io.InputStream in = CertificateRequestProcessTest.class.getClassLoader().getResourceAsStream(name)) {
			return in.readAllBytes();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void requestEnteredOnTheApplicantsBehalfSkipsTheInvitationAndIsCheckedLikeAnApplication() {
		ProcessInstance request = runtimeService().startProcessInstanceByMessage(Message.REQUEST_ENTERED_ON_BEHALF,
				REQUEST_ID, withVariables(Variable.REQUEST_ID, REQUEST_ID, Variable.CERTIFICATE_CLASS, "standard",
						Variable.APPLICANT_EMAIL, "ada@example.org", Variable.APPLICANT_FULL_NAME, "Ada Lovelace"));
		assertThat(request).isWaitingAt(Element.CHECK_REQUEST);
		// Asynchronous continuation: the admin's request is committed before the check.
		execute(job(Element.CHECK_REQUEST, request));
		decide(request, Decision.APPROVE, null);
		signAndDeliver(request);

		assertThat(request)
			.hasPassedInOrder(Element.START_ON_BEHALF, Element.CHECK_REQUEST, Element.VALIDATE_APPLICATION,
					Element.SIGN_CERTIFICATE, Element.SEND_ACTIVATION, Element.END_DELIVERED)
			.hasNotPassed(Element.START, Element.SEND_INVITATION, Element.AWAIT_APPLICATION)
			.isEnded();
		assertThat(this.calls).doesNotContain(Bean.SEND_INVITATION).contains(Bean.SEND_ACTIVATION);
	}

	@Test
	void cancellationEndsTheRequestWhileItAwaitsTheApplication() {
		ProcessInstance request = startRequest(true);
		cancel();

		assertThat(request).hasPassed(Element.CANCELLED, Element.END_CANCELLED)
			.hasNotPassed(Element.CHECK_REQUEST)
			.isEnded();
		assertThat(BpmnAwareTests.managementService().createJobQuery().processInstanceId(request.getId()).count())
			.as("the invitation expiry timer is gone")
			.isZero();
	}

	@Test
	void cancellationEndsTheRequestWhileItAwaitsCollection() {
		ProcessInstance request = startRequest(true);
		submitApplication(request);
		decide(request, Decision.APPROVE, null);
		complete(fetchSigningTask());
		assertThat(request).isWaitingAt(Element.AWAIT_COLLECTION);
		cancel();

		assertThat(request).hasPassed(Element.END_CANCELLED).hasNotPassed(Element.END_DELIVERED).isEnded();
		assertThat(BpmnAwareTests.historyService()
			.createHistoricVariableInstanceQuery()
			.processInstanceId(request.getId())
			.variableName(Variable.CANCELLATION_REASON)
			.singleResult()
			.getValue()).as("Cockpit shows why").isEqualTo("Applicant left the company.");
	}

	private void cancel() {
		runtimeService().createMessageCorrelation(Message.REQUEST_CANCELLED)
			.processInstanceBusinessKey(REQUEST_ID)
			.setVariables(withVariables(Variable.CANCELLED_BY, "admin", Variable.CANCELLATION_REASON,
					"Applicant left the company."))
			.correlateWithResult();
	}

	private ProcessInstance startRequest(boolean issueImmediately) {
		this.issueImmediately = issueImmediately;
		ProcessInstance request = runtimeService().startProcessInstanceByKey(CertificateRequestProcess.KEY, REQUEST_ID,
				withVariables(Variable.REQUEST_ID, REQUEST_ID, Variable.CERTIFICATE_CLASS, "qualified-signature",
						Variable.APPLICANT_EMAIL, "ada@example.org", Variable.APPLICANT_FULL_NAME, "Ada Lovelace"));
		assertThat(request).isWaitingAt(Element.SEND_INVITATION);
		// Asynchronous continuation: the request is committed before the invitation mail.
		execute(job(Element.SEND_INVITATION, request));
		assertThat(request).isWaitingAt(Element.AWAIT_APPLICATION);
		return request;
	}

	private void submitApplication(ProcessInstance request) {
		runtimeService().createMessageCorrelation(Message.APPLICATION_SUBMITTED)
			.processInstanceBusinessKey(REQUEST_ID)
			.setVariables(withVariables(Variable.SUBJECT_DN, "CN=Ada Lovelace,O=CertFlow,C=GB",
					Variable.KEY_DESCRIPTION, "RSA 3072", Variable.PUBLIC_KEY_SHA256,
					"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
			.correlate();
		assertThat(request).isWaitingAt(Element.CHECK_REQUEST);
		// Asynchronous continuation: the applicant's submission ended at the message.
		execute(job(Element.CHECK_REQUEST, request));
	}

	private void decide(ProcessInstance request, Decision decision, String reason) {
		decide(request, Element.VALIDATE_APPLICATION, decision, reason);
	}

	private void decide(ProcessInstance request, String taskKey, Decision decision, String reason) {
		assertThat(request).isWaitingAt(taskKey);
		Map<String, Object> submitted = (reason != null)
				? withVariables(Variable.DECISION, decision.value(), Variable.DECISION_REASON, reason)
				: withVariables(Variable.DECISION, decision.value());
		// Tasklist submits Camunda Forms through the form service, not a plain task
		// completion.
		formService().submitTaskForm(task(taskKey, request).getId(), submitted);
	}

	private LockedExternalTask fetchSigningTask() {
		List<LockedExternalTask> locked = externalTaskService().fetchAndLock(1, WORKER_ID)
			.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, LOCK_MILLIS)
			.execute();
		assertThat(locked).hasSize(1);
		return locked.get(0);
	}

	private void complete(LockedExternalTask signing) {
		// The signer sends nothing back: the certificate is in the CA's own records.
		externalTaskService().complete(signing.getId(), WORKER_ID);
	}

	private void signAndDeliver(ProcessInstance request) {
		complete(fetchSigningTask());
		// No job before the activation mail: it is an outbox row written in the
		// transaction that ends the signing step.
		assertThat(request).isWaitingAt(Element.AWAIT_COLLECTION);
		collect();
		// Asynchronous continuation before publishing, on its own branch.
		execute(job(Element.PUBLISH_CERTIFICATE, request));
	}

	private void collect() {
		runtimeService().createMessageCorrelation(Message.CERTIFICATE_COLLECTED)
			.processInstanceBusinessKey(REQUEST_ID)
			.correlate();
	}

	private JavaDelegate recording(String beanName) {
		return (execution) -> this.calls.add(beanName);
	}

	/** Answers as the service's records would for {@link #REQUEST_ID}. */
	public final class StubRouting implements RequestRouting {

		@Override
		public boolean issuesImmediately(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return CertificateRequestProcessTest.this.issueImmediately;
		}

		@Override
		public Map<String, Object> policyFacts(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return CertificateRequestProcessTest.this.facts;
		}

		@Override
		public String approvalRoute(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return CertificateRequestProcessTest.this.recordedRoute;
		}

		@Override
		public String decision(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return CertificateRequestProcessTest.this.recordedDecision;
		}

		@Override
		public Date invitationExpiresAt(String requestId) {
			return Date.from(NOW.plus(14, ChronoUnit.DAYS));
		}

		@Override
		public Date activationExpiresAt(String requestId) {
			return Date.from(NOW.plus(30, ChronoUnit.DAYS));
		}

		@Override
		public Date deferredUntil(String requestId) {
			return Date.from(NOW.plus(7, ChronoUnit.DAYS));
		}

		@Override
		public boolean keyMadeByServer(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return CertificateRequestProcessTest.this.keyMadeByServer;
		}

		@Override
		public Date escalatesAt(String requestId) {
			assertThat(requestId).isEqualTo(REQUEST_ID);
			return Date.from(ClockUtil.getCurrentTime().toInstant().plus(8, ChronoUnit.HOURS));
		}

	}

}
