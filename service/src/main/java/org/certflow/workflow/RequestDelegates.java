package org.certflow.workflow;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.certflow.billing.RecordBilling;
import org.certflow.delivery.SendActivation;
import org.certflow.issuance.RecordIssuedCertificate;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Bean;
import org.certflow.processes.CertificateRequestProcess.PolicyFact;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.certflow.request.ApplyApprovalPolicy;
import org.certflow.request.CheckRequest;
import org.certflow.request.CloseRequest;
import org.certflow.request.EscalateRequest;
import org.certflow.request.GenerateServerKey;
import org.certflow.request.RouteRequest;
import org.certflow.request.SendInvitation;

import org.springframework.context.annotation.Configuration;

/**
 * The delegates the model binds by name. Each is one line of translation from the
 * execution to a use case (STYLE.md 5): no business decision is taken here.
 */
@Configuration(proxyBeanMethods = false)
class RequestDelegates {

	@org.springframework.context.annotation.Bean(Bean.SEND_INVITATION)
	JavaDelegate sendInvitationDelegate(SendInvitation sendInvitation) {
		return (execution) -> sendInvitation.send(requestId(execution));
	}

	@org.springframework.context.annotation.Bean(Bean.CHECK_REQUEST)
	JavaDelegate checkRequestDelegate(CheckRequest checkRequest) {
		return (execution) -> {
			String refusal = checkRequest.refusal(requestId(execution)).orElse(null);
			execution.setVariable(Variable.REQUEST_ACCEPTABLE, refusal == null);
			if (refusal != null) {
				execution.setVariable(Variable.DECISION_REASON, refusal);
			}
		};
	}

	@org.springframework.context.annotation.Bean(Bean.RECORD_APPROVAL_ROUTE)
	ExecutionListener recordApprovalRouteListener(ApplyApprovalPolicy policy) {
		return (execution) -> {
			java.util.Map<?, ?> result = (java.util.Map<?, ?>) execution.getVariable(Variable.POLICY_RESULT);
			policy.routed(requestId(execution), (result != null) ? result.get(PolicyFact.ROUTE) : null,
					(result != null) ? result.get(PolicyFact.REASON) : null);
		};
	}

	@org.springframework.context.annotation.Bean(Bean.SEND_ACTIVATION)
	JavaDelegate sendActivationDelegate(SendActivation sendActivation) {
		return (execution) -> sendActivation.send(requestId(execution));
	}

	@org.springframework.context.annotation.Bean(Bean.RECORD_BILLING)
	JavaDelegate recordBillingDelegate(RecordBilling recordBilling) {
		return (execution) -> recordBilling.issuance(requestId(execution));
	}

	@org.springframework.context.annotation.Bean(Bean.GENERATE_KEY_PAIR)
	JavaDelegate generateKeyPairDelegate(GenerateServerKey generateServerKey) {
		return (execution) -> generateServerKey.generate(requestId(execution));
	}

	@org.springframework.context.annotation.Bean(Bean.RECORD_ISSUANCE)
	ExecutionListener recordIssuanceListener(RecordIssuedCertificate recordIssued) {
		return (execution) -> recordIssued.record(requestId(execution));
	}

	@org.springframework.context.annotation.Bean(Bean.SEND_REJECTION)
	JavaDelegate sendRejectionDelegate(CloseRequest closeRequest) {
		return (execution) -> closeRequest.reject(requestId(execution),
				(String) execution.getVariable(Variable.DECISION_REASON));
	}

	@org.springframework.context.annotation.Bean(Bean.EXPIRE_REQUEST)
	JavaDelegate expireRequestDelegate(CloseRequest closeRequest) {
		return (execution) -> closeRequest.expire(requestId(execution));
	}

	/**
	 * The supervisors join every open officer task of the request as candidates, and the
	 * task moves up their lists; the officers keep it.
	 */
	@org.springframework.context.annotation.Bean(Bean.ESCALATE_VALIDATION)
	JavaDelegate escalateValidationDelegate(EscalateRequest escalateRequest, RouteRequest route) {
		return (execution) -> {
			TaskService tasks = execution.getProcessEngineServices().getTaskService();
			for (Task task : tasks.createTaskQuery()
				.processInstanceId(execution.getProcessInstanceId())
				.taskCandidateGroup(CertificateRequestProcess.OFFICER_GROUP)
				.includeAssignedTasks()
				.active()
				.list()) {
				tasks.addCandidateGroup(task.getId(), CertificateRequestProcess.SUPERVISOR_GROUP);
				tasks.setPriority(task.getId(), ESCALATED_PRIORITY);
			}
			escalateRequest.escalate(requestId(execution), CertificateRequestProcess.SUPERVISOR_GROUP,
					route.escalationAfter(requestId(execution)));
		};
	}

	/** Task priority of an escalated task (Tasklist sorts by it; the default is 50). */
	static final int ESCALATED_PRIORITY = 80;

	static String requestId(DelegateExecution execution) {
		return execution.getProcessBusinessKey();
	}

}
