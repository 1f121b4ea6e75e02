package org.certflow.workflow;

import java.util.List;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.certflow.processes.CertificateRequestProcess.Bean;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.certflow.request.RequestException;
import org.certflow.request.ValidateApplication;

import org.springframework.stereotype.Component;

/**
 * Listens to the officers' tasks (validation and, under dual control, the second
 * approval): on create the request enters the queue, on complete the decision is checked
 * and recorded. A refused decision throws, which keeps the task open and shows the
 * message in Tasklist or in the engine REST response.
 */
@Component(Bean.VALIDATION_TASK_LISTENER)
class ValidationTaskListener implements TaskListener {

	private final ValidateApplication validateApplication;

	ValidationTaskListener(ValidateApplication validateApplication) {
		this.validateApplication = validateApplication;
	}

	@Override
	public void notify(DelegateTask task) {
		String requestId = task.getExecution().getProcessBusinessKey();
		boolean secondApproval = Element.SECOND_APPROVAL.equals(task.getTaskDefinitionKey());
		if (EVENTNAME_CREATE.equals(task.getEventName())) {
			if (!secondApproval) {
				this.validateApplication.queued(requestId);
			}
			// Read-only on the form: who decided what, when and why before this task. Set
			// by the engine at creation; the officer's completion may not send it
			// (DecisionCheckFilter) and nothing routes on it.
			task.setVariableLocal(Variable.EARLIER_DECISIONS, this.validateApplication.earlierDecisions(requestId));
			task.setVariableLocal(Variable.APPLICANT_CONTACT, this.validateApplication.applicantContact(requestId));
			// The same lines as comments, which Tasklist shows on the task's History tab
			// (the engine's operation log, its other source, needs history level full).
			// Only a task that follows earlier decisions gets any.
			List<String> earlier = this.validateApplication.earlierDecisionLines(requestId);
			if (earlier.stream().anyMatch((line) -> !line.contains(" ROUTED by "))) {
				TaskService tasks = task.getProcessEngineServices().getTaskService();
				earlier.forEach((line) -> tasks.createComment(task.getId(), task.getProcessInstanceId(), line));
			}
			// A deferred application comes back with the last decision's variables; the
			// officer
			// starts from a clean form, and an old deferral date cannot leak into a new
			// decision.
			task.removeVariables(List.of(Variable.DECISION, Variable.DECISION_REASON, Variable.DEFER_UNTIL));
			// Tasklist lists tasks by name: show whose application it is.
			task.setName(task.getName() + ": " + task.getVariable(Variable.APPLICANT_FULL_NAME) + " <"
					+ task.getVariable(Variable.APPLICANT_EMAIL) + ">");
		}
		else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
			try {
				// Recorded with the request; the gateway after the task and the deferral
				// timer read the record, not these variables.
				this.validateApplication.decide(requestId, task.getVariable(Variable.DECISION),
						text(task.getVariable(Variable.DECISION_REASON)), text(task.getVariable(Variable.DEFER_UNTIL)),
						officer(task), secondApproval);
			}
			catch (RequestException ex) {
				if (ex.kind() == RequestException.Kind.STALE) {
					// A concurrent decision won: the engine REST API answers 409
					// (EngineRestMappers), as for a lost optimistic lock on the task.
					throw new org.camunda.bpm.engine.OptimisticLockingException(ex.getMessage());
				}
				throw new InvalidDecisionException(Variable.DECISION, ex.getMessage());
			}
		}
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static String officer(DelegateTask task) {
		Authentication current = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
		if (current != null && current.getUserId() != null) {
			return current.getUserId();
		}
		return (task.getAssignee() != null) ? task.getAssignee() : "unknown";
	}

}
