package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.request.RequestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validation task left undecided for its class's escalation time is escalated: the
 * supervisors become candidates (and can decide it), the officers keep it, the request is
 * flagged and its timeline says why. A class without an escalation time never escalates
 * in practice.
 */
class EscalationTest extends IntegrationTest {

	private static final String SUPERVISOR = "supervisor";

	@Autowired
	private ManagementService management;

	@Autowired
	private TaskService tasks;

	@Autowired
	private org.camunda.bpm.engine.RuntimeService runtime;

	@Autowired
	private RequestEvents events;

	@Test
	void undecidedTaskIsEscalatedToTheSupervisorsWhoMayDecideIt() {
		String requestId = submittedRequest(newMailbox());
		Job timer = escalationTimer(requestId);
		assertThat(timer.getDuedate().toInstant()).as("the standard class escalates after PT8H")
			.isBetween(java.time.Instant.now().plusSeconds(8 * 3600 - 120),
					java.time.Instant.now().plusSeconds(8 * 3600 + 5));
		assertThat(supervisorTasks(requestId)).as("before the escalation").isEmpty();

		this.management.executeJob(timer.getId());
		// The escalation itself is the next job, which the job executor runs.
		java.time.Instant until = java.time.Instant.now().plusSeconds(20);
		while (request(requestId).get("escalatedAt").isNull() && java.time.Instant.now().isBefore(until)) {
			pause();
		}

		Task task = this.tasks.createTaskQuery().processInstanceBusinessKey(requestId).singleResult();
		assertThat(task.getTaskDefinitionKey()).isEqualTo(Element.VALIDATE_APPLICATION);
		assertThat(task.getPriority()).isGreaterThan(50);
		List<String> groups = this.tasks.getIdentityLinksForTask(task.getId())
			.stream()
			.filter((link) -> link.getGroupId() != null)
			.map(IdentityLink::getGroupId)
			.toList();
		assertThat(groups).contains(CertificateRequestProcess.OFFICER_GROUP,
				CertificateRequestProcess.SUPERVISOR_GROUP);
		assertThat(request(requestId).get("escalatedAt").isNull()).isFalse();
		assertThat(this.events.timeline(requestId)).anySatisfy((event) -> {
			assertThat(event.kind().name()).isEqualTo("ESCALATED");
			assertThat(event.actor()).isEqualTo(RequestEvents.SYSTEM);
			assertThat(event.detail()).contains("PT8H").contains("ra-supervisors");
		});

		// The supervisor sees it in Tasklist's terms (engine REST with their own login)
		// and
		// decides it.
		assertThat(supervisorTasks(requestId)).hasSize(1);
		HttpResponse<String> approved = postJson("/engine-rest/task/" + task.getId() + "/complete",
				Map.of("variables", Map.of("decision", Map.of("value", "approve"))), SUPERVISOR);
		assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		assertThat(escalationTimers(requestId)).as("no escalation left once decided").isEmpty();
	}

	@Test
	void supervisorsSeeNoTaskThatWasNotEscalated() {
		String requestId = submittedRequest(newMailbox());
		assertThat(supervisorTasks(requestId)).isEmpty();
		String taskId = officerTaskId(requestId);
		HttpResponse<String> refused = postJson("/engine-rest/task/" + taskId + "/complete",
				Map.of("variables", Map.of("decision", Map.of("value", "approve"))), SUPERVISOR);
		assertThat(refused.statusCode()).as(refused.body()).isIn(403, 404);
		assertThat(get("/engine-rest/task/" + taskId + "/comment", SUPERVISOR).statusCode()).as("nor its history")
			.isEqualTo(404);
		assertThat(get("/engine-rest/task/" + taskId + "/comment", OFFICER).statusCode()).isEqualTo(200);
		assertThat(request(requestId).get("status").asText()).isEqualTo("PENDING_VALIDATION");
	}

	@Test
	void aClassWithoutEscalationTimeNeverEscalatesInPractice() {
		this.jdbc.update("update certificate_class set escalation_after = null where name = 'standard'");
		try {
			String requestId = submittedRequest(newMailbox());
			assertThat(escalationTimer(requestId).getDuedate().toInstant())
				.isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(36_000)));
		}
		finally {
			this.jdbc.update("update certificate_class set escalation_after = 'PT8H' where name = 'standard'");
		}
	}

	private Job escalationTimer(String requestId) {
		List<Job> timers = escalationTimers(requestId);
		assertThat(timers).hasSize(1);
		return timers.get(0);
	}

	private List<Job> escalationTimers(String requestId) {
		return this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(requestId)
			.list()
			.stream()
			.flatMap((instance) -> this.management.createJobQuery()
				.processInstanceId(instance.getId())
				.activityId(Element.VALIDATION_ESCALATED)
				.timers()
				.list()
				.stream())
			.toList();
	}

	private JsonNode supervisorTasks(String requestId) {
		HttpResponse<String> response = get("/engine-rest/task?processInstanceBusinessKey=" + requestId, SUPERVISOR);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return body(response);
	}

}
