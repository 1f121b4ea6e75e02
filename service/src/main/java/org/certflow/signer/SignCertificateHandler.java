package org.certflow.signer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.certflow.ca.IssuanceOutcome;
import org.certflow.ca.IssuanceRefusedException;
import org.certflow.processes.CertificateRequestProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the {@code ca-sign-certificate} tasks of one fetch as one chunk. The external
 * task client hands each fetched task to {@link #execute}, which only collects it; once
 * the client has handed over the whole fetch (it then asks its back-off strategy,
 * {@link ReconnectBackoff}, which calls {@link #signChunk}), the chunk is one call into
 * {@link IssueCertificate#issueAll}: one journal commit reserves every serial with its
 * audit event, one records every certificate. The issued tasks are then completed in one
 * engine transaction ({@link ChunkCompletion}). A refusal by the CA is the BPMN error the
 * model turns into a rejection (its message becomes the reason); any other failure is
 * retried and, once the retries are spent, is an incident in Cockpit. The signer sends no
 * variables: the certificate is in the CA's journal, where the RA reads it.
 * <p>
 * One instance per client: the client calls it from its one thread.
 */
class SignCertificateHandler implements ExternalTaskHandler {

	private static final Logger log = LoggerFactory.getLogger(SignCertificateHandler.class);

	static final int RETRIES = 3;

	static final Duration RETRY_BACKOFF = Duration.ofMinutes(1);

	private final IssueCertificate issueCertificate;

	private final Duration lockDuration;

	private final ChunkCompletion completion;

	private final List<Fetched> chunk = new ArrayList<>();

	SignCertificateHandler(IssueCertificate issueCertificate, Duration lockDuration, ChunkCompletion completion) {
		this.issueCertificate = issueCertificate;
		this.lockDuration = lockDuration;
		this.completion = completion;
	}

	@Override
	public void execute(ExternalTask task, ExternalTaskService service) {
		this.chunk.add(new Fetched(task, service));
	}

	/**
	 * Signs and completes the tasks collected since the last call. Never throws: a task
	 * whose outcome could not be reported comes back when its lock expires, and signing
	 * it again returns the certificate already recorded.
	 */
	void signChunk() {
		if (this.chunk.isEmpty()) {
			return;
		}
		List<Fetched> tasks = List.copyOf(this.chunk);
		this.chunk.clear();
		tasks.forEach(this::keepLocked);
		List<IssuanceOutcome> outcomes;
		try {
			outcomes = this.issueCertificate.issueAll(tasks.stream().map((f) -> f.task().getBusinessKey()).toList());
		}
		catch (RuntimeException ex) {
			tasks.forEach((f) -> fail(f, ex));
			return;
		}
		List<Fetched> issued = new ArrayList<>();
		for (int i = 0; i < tasks.size(); i++) {
			Fetched fetched = tasks.get(i);
			IssuanceOutcome outcome = outcomes.get(i);
			if (outcome.isIssued()) {
				issued.add(fetched);
			}
			else if (outcome.failure() instanceof IssuanceRefusedException refused) {
				refuse(fetched, refused);
			}
			else {
				fail(fetched, outcome.failure());
			}
		}
		this.completion.complete(issued);
	}

	private void refuse(Fetched fetched, IssuanceRefusedException ex) {
		String requestId = fetched.task().getBusinessKey();
		log.info("CA refused request {}: {}", requestId, ex.getMessage());
		report(fetched,
				() -> fetched.service()
					.handleBpmnError(fetched.task(), CertificateRequestProcess.ERROR_ISSUANCE_REFUSED,
							"The CA refused to sign: " + ex.getMessage()));
	}

	private void fail(Fetched fetched, RuntimeException ex) {
		ExternalTask task = fetched.task();
		int retries = (task.getRetries() != null) ? task.getRetries() - 1 : RETRIES - 1;
		log.warn("Signing request {} failed ({} retries left): {}", task.getBusinessKey(), retries, ex.toString());
		report(fetched,
				() -> fetched.service()
					.handleFailure(task, ex.getClass().getSimpleName() + ": " + ex.getMessage(), stackTrace(ex),
							Math.max(retries, 0), RETRY_BACKOFF.toMillis()));
	}

	private static void report(Fetched fetched, Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			log.warn("Could not report the outcome of signing task {}; it comes back when its lock expires: {}",
					fetched.task().getId(), ex.toString());
		}
	}

	/**
	 * A fetch locks a whole batch at once; a task whose lock has run half its time is
	 * locked again before it is signed, so no other signer takes it meanwhile.
	 */
	private void keepLocked(Fetched fetched) {
		Date expires = fetched.task().getLockExpirationTime();
		if (expires != null && expires.toInstant().isBefore(Instant.now().plus(this.lockDuration.dividedBy(2)))) {
			report(fetched, () -> fetched.service().extendLock(fetched.task(), this.lockDuration.toMillis()));
		}
	}

	private static String stackTrace(Throwable ex) {
		StringWriter out = new StringWriter();
		ex.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

	/**
	 * A task as fetched, with the client's service for reporting on it.
	 *
	 * @param task the task
	 * @param service the client's service
	 */
	record Fetched(ExternalTask task, ExternalTaskService service) {
	}

}
