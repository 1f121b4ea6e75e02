package org.certflow.workflow;

import java.time.Duration;
import java.util.List;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.certflow.CertFlowProperties;
import org.certflow.EmbeddedSigners;
import org.certflow.it.IntegrationTest;
import org.certflow.processes.CertificateRequestProcess;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signer that died holding a signing task does not hold it for long: the lock is sized
 * to the signing time, and once it has expired the task is signed by the next signer.
 */
class DeadSignerTest extends IntegrationTest {

	@Autowired
	ApplicationContext context;

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
		EmbeddedSigners.stop(this.context);
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
			EmbeddedSigners.start(this.context);
		}
		Thread.sleep(1000);
		assertThat(request(requestId).get("status").asText()).as("still locked by the dead signer")
			.isEqualTo("APPROVED");

		assertThat(awaitStatus(requestId, "ISSUED").get("certificateSerial").asText()).isNotBlank();
	}

}
