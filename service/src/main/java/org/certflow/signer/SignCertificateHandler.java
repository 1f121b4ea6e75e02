package org.certflow.signer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Date;

import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.certflow.ca.IssuanceRefusedException;
import org.certflow.processes.CertificateRequestProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one {@code ca-sign-certificate} task: one call into {@link IssueCertificate}, and
 * the answer the model expects. A refusal by the CA is the BPMN error the model turns
 * into a rejection (its message becomes the reason); any other failure is retried and,
 * once the retries are spent, is an incident in Cockpit. The signer sends no variables:
 * the certificate is in the CA's journal, where the RA reads it.
 */
class SignCertificateHandler implements ExternalTaskHandler {

	private static final Logger log = LoggerFactory.getLogger(SignCertificateHandler.class);

	static final int RETRIES = 3;

	static final Duration RETRY_BACKOFF = Duration.ofMinutes(1);

	private final IssueCertificate issueCertificate;

	private final Duration lockDuration;

	SignCertificateHandler(IssueCertificate issueCertificate, Duration lockDuration) {
		this.issueCertificate = issueCertificate;
		this.lockDuration = lockDuration;
	}

	@Override
	public void execute(ExternalTask task, ExternalTaskService service) {
		String requestId = task.getBusinessKey();
		keepLocked(task, service);
		try {
			this.issueCertificate.issue(requestId);
		}
		catch (IssuanceRefusedException ex) {
			log.info("CA refused request {}: {}", requestId, ex.getMessage());
			service.handleBpmnError(task, CertificateRequestProcess.ERROR_ISSUANCE_REFUSED,
					"The CA refused to sign: " + ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			int retries = (task.getRetries() != null) ? task.getRetries() - 1 : RETRIES - 1;
			log.warn("Signing request {} failed ({} retries left): {}", requestId, retries, ex.toString());
			service.handleFailure(task, ex.getClass().getSimpleName() + ": " + ex.getMessage(), stackTrace(ex),
					Math.max(retries, 0), RETRY_BACKOFF.toMillis());
			return;
		}
		service.complete(task);
	}

	/**
	 * A fetch locks a whole batch at once; a task still waiting in it when half its lock
	 * has run is locked again before it is signed, so no other signer takes it meanwhile.
	 */
	private void keepLocked(ExternalTask task, ExternalTaskService service) {
		Date expires = task.getLockExpirationTime();
		if (expires != null
				&& expires.toInstant().isBefore(java.time.Instant.now().plus(this.lockDuration.dividedBy(2)))) {
			service.extendLock(task, this.lockDuration.toMillis());
		}
	}

	private static String stackTrace(Throwable ex) {
		StringWriter out = new StringWriter();
		ex.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

}
