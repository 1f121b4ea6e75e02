package org.certflow.workflow;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.variable.Variables;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.CertificateRequestProcess.Message;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.certflow.processes.IssuanceBatchProcess;
import org.certflow.request.CertificateClass;
import org.certflow.request.CertificateRequest;
import org.certflow.request.RequestWorkflow;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;

/** The request workflow port on the Camunda engine. */
@Component
class CamundaRequestWorkflow implements RequestWorkflow {

	private final RuntimeService runtime;

	private final ManagementService management;

	CamundaRequestWorkflow(RuntimeService runtime, ManagementService management) {
		this.runtime = runtime;
		this.management = management;
	}

	@Override
	public void start(CertificateRequest request, CertificateClass certificateClass) {
		// Only what the officer's form shows: routing and timers come from our records
		// (RecordedRouting), never from variables.
		raced(() -> this.runtime.startProcessInstanceByKey(CertificateRequestProcess.KEY, request.getRequestId(),
				Variables.createVariables()
					.putValue(Variable.REQUEST_ID, request.getRequestId())
					.putValue(Variable.CERTIFICATE_CLASS, certificateClass.getName())
					.putValue(Variable.APPLICANT_EMAIL, request.getEmail())
					.putValue(Variable.APPLICANT_FULL_NAME, request.getFullName())));
	}

	@Override
	public void applicationSubmitted(CertificateRequest request, String subjectDn) {
		raced(() -> this.runtime.createMessageCorrelation(Message.APPLICATION_SUBMITTED)
			.processInstanceBusinessKey(request.getRequestId())
			.setVariables(Map.of(Variable.APPLICANT_FULL_NAME, request.getFullName(), Variable.SUBJECT_DN, subjectDn,
					Variable.REQUESTED_SUBJECT, Objects.toString(request.getRequestedSubject(), ""),
					Variable.KEY_DESCRIPTION, request.getKeyDescription(), Variable.PUBLIC_KEY_SHA256,
					Objects.toString(request.getPublicKeySha256(), "")))
			.correlateWithResult());
	}

	@Override
	public void certificateCollected(String requestId) {
		raced(() -> this.runtime.createMessageCorrelation(Message.CERTIFICATE_COLLECTED)
			.processInstanceBusinessKey(requestId)
			.correlateWithResult());
	}

	@Override
	public void startOnBehalf(CertificateRequest request, CertificateClass certificateClass, String subjectDn) {
		raced(() -> this.runtime.startProcessInstanceByMessage(Message.REQUEST_ENTERED_ON_BEHALF,
				request.getRequestId(),
				Variables.createVariables()
					.putValue(Variable.REQUEST_ID, request.getRequestId())
					.putValue(Variable.CERTIFICATE_CLASS, certificateClass.getName())
					.putValue(Variable.APPLICANT_EMAIL, request.getEmail())
					.putValue(Variable.APPLICANT_FULL_NAME, request.getFullName())
					.putValue(Variable.SUBJECT_DN, subjectDn)
					.putValue(Variable.REQUESTED_SUBJECT, Objects.toString(request.getRequestedSubject(), ""))
					.putValue(Variable.KEY_DESCRIPTION, request.getKeyDescription())
					.putValue(Variable.PUBLIC_KEY_SHA256, request.getPublicKeySha256())));
	}

	@Override
	public void cancelled(String requestId, String cancelledBy, String reason) {
		raced(() -> this.runtime.createMessageCorrelation(Message.REQUEST_CANCELLED)
			.processInstanceBusinessKey(requestId)
			.setVariables(Map.of(Variable.CANCELLED_BY, cancelledBy, Variable.CANCELLATION_REASON, reason))
			.correlateWithResult());
	}

	@Override
	public boolean issuanceReleased(String requestId) {
		return !this.runtime.createMessageCorrelation(Message.ISSUANCE_RELEASED)
			.processInstanceBusinessKey(requestId)
			.correlateAllWithResult()
			.isEmpty();
	}

	@Override
	public void issuanceRunRequested(String runId) {
		this.runtime.createMessageCorrelation(IssuanceBatchProcess.MESSAGE_RUN_REQUESTED)
			.processInstanceBusinessKey(runId)
			.correlateStartMessage();
	}

	@Override
	public void activationRenewed(String requestId, java.time.Instant expiresAt) {
		// The expiry timer was set from the first code's record; the new code runs
		// longer.
		for (var instance : this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).list()) {
			for (Job timer : this.management.createJobQuery()
				.processInstanceId(instance.getId())
				.activityId(Element.ACTIVATION_EXPIRED)
				.timers()
				.list()) {
				raced(() -> {
					this.management.setJobDuedate(timer.getId(), java.util.Date.from(expiresAt));
					return timer;
				});
			}
		}
	}

	/**
	 * Runs an engine call that two callers can make for the same request at once (the
	 * same invitation submitted twice, the same certificate collected twice). The loser
	 * sees the engine's optimistic lock, or the message it sends no longer awaited; both
	 * mean "someone else just did this", reported as the concurrency failure the web
	 * layer answers with 409, and the caller's whole transaction rolls back.
	 */
	private static <T> T raced(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (OptimisticLockingException | MismatchingMessageCorrelationException ex) {
			throw new ConcurrencyFailureException("The process of this request was changed at the same time", ex);
		}
	}

}
