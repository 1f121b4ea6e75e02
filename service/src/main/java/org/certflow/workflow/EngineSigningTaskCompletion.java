package org.certflow.workflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.certflow.issuance.SigningTaskCompletion;
import org.certflow.processes.CertificateRequestProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Completes a signer's chunk in one engine transaction: one commit for the chunk instead
 * of one per task. Should it fail (an instance cancelled a moment ago, an optimistic
 * lock), the tasks are completed one transaction each, so that one task costs no other
 * its completion.
 */
@Component
class EngineSigningTaskCompletion implements SigningTaskCompletion {

	private static final Logger log = LoggerFactory.getLogger(EngineSigningTaskCompletion.class);

	static final String NOT_HELD = "not a signing task locked by this worker";

	/** As the signer counts them for a failed signature. */
	private static final int RETRIES = 3;

	private static final java.time.Duration RETRY_BACKOFF = java.time.Duration.ofMinutes(1);

	private final ExternalTaskService tasks;

	private final TransactionTemplate transaction;

	EngineSigningTaskCompletion(ExternalTaskService tasks, PlatformTransactionManager transactionManager) {
		this.tasks = tasks;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public Completion complete(String workerId, List<String> taskIds) {
		Set<String> asked = new LinkedHashSet<>(taskIds);
		try {
			// The engine joins this transaction: every completion (and the listener
			// that records the certificate on its request) commits together.
			List<String> completed = this.transaction.execute((status) -> {
				List<String> held = held(workerId, asked);
				held.forEach((id) -> this.tasks.complete(id, workerId));
				return held;
			});
			return new Completion(completed, refusals(asked, completed, NOT_HELD));
		}
		catch (RuntimeException chunkFailed) {
			log.info("Completing a chunk of {} signing tasks failed ({}); completing them one by one", asked.size(),
					chunkFailed.toString());
		}
		List<String> completed = new ArrayList<>();
		List<Refusal> refused = new ArrayList<>();
		for (String id : asked) {
			try {
				boolean done = Boolean.TRUE.equals(this.transaction.execute((status) -> {
					if (held(workerId, Set.of(id)).isEmpty()) {
						return false;
					}
					this.tasks.complete(id, workerId);
					return true;
				}));
				if (done) {
					completed.add(id);
				}
				else {
					refused.add(new Refusal(id, NOT_HELD));
				}
			}
			catch (RuntimeException ex) {
				log.warn("Completing signing task {} failed: {}", id, ex.toString());
				refused.add(new Refusal(id, ex.getClass().getSimpleName() + ": " + ex.getMessage()));
				recordFailure(workerId, id, ex);
			}
		}
		return new Completion(completed, refused);
	}

	/**
	 * What ends the signing step (recording the certificate on the request, the
	 * activation code and its mail in the outbox) failed for a task the worker holds: the
	 * task counts a retry, as a failed job would, and once they are spent it is an
	 * incident in Cockpit rather than a task the signer completes again and again.
	 */
	private void recordFailure(String workerId, String id, RuntimeException ex) {
		try {
			this.transaction.executeWithoutResult((status) -> {
				ExternalTask task = this.tasks.createExternalTaskQuery()
					.externalTaskId(id)
					.workerId(workerId)
					.topicName(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE)
					.locked()
					.singleResult();
				if (task == null) {
					return;
				}
				int retries = (task.getRetries() != null) ? task.getRetries() - 1 : RETRIES - 1;
				java.io.StringWriter trace = new java.io.StringWriter();
				ex.printStackTrace(new java.io.PrintWriter(trace));
				this.tasks.handleFailure(id, workerId,
						"Ending the signing step failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage(),
						trace.toString(), Math.max(retries, 0), RETRY_BACKOFF.toMillis());
			});
		}
		catch (RuntimeException failed) {
			log.warn("Could not record the failure of signing task {}: {}", id, failed.toString());
		}
	}

	/**
	 * The tasks of the signing topic whose lock this worker holds now. An expired lock is
	 * not held: another signer may fetch the task at any moment.
	 */
	private List<String> held(String workerId, Set<String> ids) {
		return this.tasks.createExternalTaskQuery()
			.externalTaskIdIn(ids)
			.workerId(workerId)
			.topicName(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE)
			.locked()
			.list()
			.stream()
			.map(ExternalTask::getId)
			.toList();
	}

	private static List<Refusal> refusals(Set<String> asked, List<String> completed, String reason) {
		return asked.stream().filter((id) -> !completed.contains(id)).map((id) -> new Refusal(id, reason)).toList();
	}

}
