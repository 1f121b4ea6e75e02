package org.certflow.processes;

import java.util.Date;
import java.util.Map;

/**
 * What the model asks CertFlow's own records at the point where it branches or sets a
 * timer, bound as {@code ${requestRouting}} (see {@link CertificateRequestProcess.Bean}).
 * Every argument is the request id, which the model passes as
 * {@code execution.processBusinessKey}: the business key is fixed at start and no task
 * user can change it, whereas process variables can be written by whoever may work on a
 * task. So nothing that routes a request is ever read from a variable.
 */
public interface RequestRouting {

	/**
	 * @param requestId the request
	 * @return whether the request's certificate class signs on approval instead of
	 * waiting for the next batch
	 */
	boolean issuesImmediately(String requestId);

	/**
	 * @param requestId a submitted request
	 * @return the inputs of the approval policy table, by the names of
	 * {@link CertificateRequestProcess.PolicyFact}, from the request and the class
	 * settings snapshotted at submission
	 */
	Map<String, Object> policyFacts(String requestId);

	/**
	 * @param requestId a request the approval policy has routed
	 * @return the recorded route: one of {@link CertificateRequestProcess.ApprovalRoute}
	 */
	String approvalRoute(String requestId);

	/**
	 * @param requestId the request
	 * @return the officer's last recorded decision: approve, reject or defer (see
	 * {@link CertificateRequestProcess.Decision})
	 */
	String decision(String requestId);

	/**
	 * @param requestId the request
	 * @return when the invitation expires, as its record says
	 */
	Date invitationExpiresAt(String requestId);

	/**
	 * @param requestId the request
	 * @return when the activation code expires, as its record says
	 */
	Date activationExpiresAt(String requestId);

	/**
	 * @param requestId the request
	 * @return when a deferred application returns to the officers' queue, as recorded
	 * with the decision
	 */
	Date deferredUntil(String requestId);

	/**
	 * Asked when a validation task is created.
	 * @param requestId the request
	 * @return when the task, if still undecided, is escalated to the supervisors: now
	 * plus the escalation time of the request's certificate class
	 */
	Date escalatesAt(String requestId);

	/**
	 * @param requestId an approved request
	 * @return whether the server makes its key pair before signing (key source SERVER, as
	 * recorded at submission)
	 */
	boolean keyMadeByServer(String requestId);

}
