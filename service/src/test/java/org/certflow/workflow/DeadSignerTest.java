package org.certflow.workflow;

import java.time.Duration;
import java.util.List;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.certflow.CertFlowProperties;
import org.certflow.it.IntegrationTest;
import org.certflow.processes.CertificateRequestProcess;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signer that died holding a signing task does not hold it for long: the lock is sized
 * to the signing time, and once it has expired the task is signed by the next signer.
 */
class DeadSignerTest extends IntegrationTest {

	@Autowired
	SigningWorker signer;

	@Autowired
	ExternalTaskService externalTasks;

	@Autowired
	CertFlowProperties properties;

	@Test
	void lockIsSizedToSigningNotMinutes() {
		assertThat(this.properties.signer().lockDuration()).isLessThanOrEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void aTaskLockedByADeadSignerIsSignedOnceItsLockExpires() throws Exception {
		String requestId;
		this.signer.stop();
		try {
			requestId = submittedRequest(newMailbox());
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "APPROVED");
			List<LockedExternalTask> taken = this.externalTasks.fetchAndLock(1, "signer-that-dies")
				.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, 3000)
				.businessKey(requestId)
				.execute();
			assertThat(taken).hasSize(1);
		}
		finally {
			this.signer.restart();
		}
		Thread.sleep(1000);
		assertThat(request(requestId).get("status").asText()).as("still locked by the dead signer")
			.isEqualTo("APPROVED");

		assertThat(awaitStatus(requestId, "ISSUED").get("certificateSerial").asText()).isNotBlank();
	}

}
