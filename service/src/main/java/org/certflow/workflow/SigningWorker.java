package org.certflow.workflow;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.certflow.CertFlowProperties;
import org.certflow.ca.IssuanceRefusedException;
import org.certflow.issuance.IssueCertificate;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serves the external task topic {@code ca-sign-certificate} inside this process (the
 * embedded default). In production the same loop runs in a separate signer, the only
 * process holding the CA key, and fetches over the engine REST API. A refusal by the CA
 * is a BPMN error (the model rejects the request); any other failure is retried and ends
 * as an incident in Cockpit.
 */
@Component
class SigningWorker {

	private static final Logger log = LoggerFactory.getLogger(SigningWorker.class);

	private static final String WORKER_ID = "certflow-embedded-signer";

	private static final int BATCH = 10;

	private static final int RETRIES = 3;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	private static final long RETRY_BACKOFF_MS = Duration.ofMinutes(1).toMillis();

	private final ExternalTaskService externalTasks;

	private final IssueCertificate issueCertificate;

	private final TransactionTemplate transaction;

	private final CertFlowProperties.Signer settings;

	private ScheduledExecutorService scheduler;

	private volatile boolean stopping;

	SigningWorker(ExternalTaskService externalTasks, IssueCertificate issueCertificate, TransactionTemplate transaction,
			CertFlowProperties properties) {
		this.externalTasks = externalTasks;
		this.issueCertificate = issueCertificate;
		this.transaction = transaction;
		this.settings = properties.signer();
	}

	// Started once the application is ready, like the job executor: polling earlier would
	// race
	// the process deployment.
	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (!this.settings.workerEnabled()) {
			log.info("In-process signer is off (certflow.signer.worker-enabled=false)");
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "certflow-signer");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.pollInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::pollSafely, interval, interval, TimeUnit.MILLISECONDS);
	}

	// Runs before the engine and the database close (this bean needs both): the task
	// being
	// signed is finished, the rest of the batch is left to lock expiry, so no signing
	// meets a closed database.
	@PreDestroy
	void stop() throws InterruptedException {
		this.stopping = true;
		if (this.scheduler != null) {
			this.scheduler.shutdown();
			if (!this.scheduler.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Signer still busy after {}; stopping it", STOP_TIMEOUT);
				this.scheduler.shutdownNow();
			}
		}
	}

	/** Starts polling again after {@link #stop()}, for tests that play a dead signer. */
	void restart() {
		this.stopping = false;
		start();
	}

	private void pollSafely() {
		try {
			poll();
		}
		catch (RuntimeException ex) {
			log.warn("Signer poll failed: {}", ex.getMessage());
		}
	}

	/**
	 * Fetches and works one batch of signing tasks.
	 * @return how many tasks were fetched
	 */
	int poll() {
		if (this.stopping) {
			return 0;
		}
		List<LockedExternalTask> tasks = this.externalTasks.fetchAndLock(BATCH, WORKER_ID)
			.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, this.settings.lockDuration().toMillis())
			.variables(Variable.REQUEST_ID)
			.execute();
		for (LockedExternalTask task : tasks) {
			if (this.stopping) {
				break;
			}
			// The lock ran while earlier tasks of the batch were signed: renewed to the
			// full duration before this one starts, so it cannot expire under the signer.
			try {
				this.externalTasks.extendLock(task.getId(), WORKER_ID, this.settings.lockDuration().toMillis());
			}
			catch (ProcessEngineException ex) {
				log.info("Signing task {} is no longer ours ({}); leaving it", task.getId(), ex.getMessage());
				continue;
			}
			work(task);
		}
		return tasks.size();
	}

	private void work(LockedExternalTask task) {
		String requestId = task.getBusinessKey();
		try {
			this.transaction.executeWithoutResult((status) -> {
				String serial = this.issueCertificate.issue(requestId);
				this.externalTasks.complete(task.getId(), WORKER_ID, Map.of(Variable.CERTIFICATE_SERIAL, serial));
			});
		}
		catch (IssuanceRefusedException ex) {
			log.info("CA refused request {}: {}", requestId, ex.getMessage());
			this.externalTasks.handleBpmnError(task.getId(), WORKER_ID,
					CertificateRequestProcess.ERROR_ISSUANCE_REFUSED, ex.getMessage(),
					Map.of(Variable.DECISION_REASON, "The CA refused to sign: " + ex.getMessage()));
		}
		catch (RuntimeException ex) {
			int retries = (task.getRetries() != null) ? task.getRetries() - 1 : RETRIES - 1;
			log.warn("Signing request {} failed ({} retries left): {}", requestId, retries, ex.toString());
			this.externalTasks.handleFailure(task.getId(), WORKER_ID,
					ex.getClass().getSimpleName() + ": " + ex.getMessage(), stackTrace(ex), Math.max(retries, 0),
					RETRY_BACKOFF_MS);
		}
	}

	private static String stackTrace(Throwable ex) {
		StringWriter out = new StringWriter();
		ex.printStackTrace(new PrintWriter(out));
		return out.toString();
	}

}
