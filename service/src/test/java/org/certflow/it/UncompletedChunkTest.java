package org.certflow.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.certflow.EmbeddedSigners;
import org.certflow.ca.IssuanceOutcome;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.signer.IssueCertificate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signer that dies after its chunk's certificates are recorded but before its tasks are
 * completed loses and duplicates nothing: once the locks expire, the next fetch completes
 * the tasks with the certificates already in the journal, signing nothing and reserving
 * no serial again.
 */
class UncompletedChunkTest extends IntegrationTest {

	private static final int CHUNK = 3;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ExternalTaskService externalTasks;

	@Test
	void aChunkRecordedButNotCompletedIsCompletedWithItsCertificates() throws Exception {
		List<String> requestIds = new ArrayList<>();
		EmbeddedSigners.stop(this.context);
		try {
			for (int i = 0; i < CHUNK; i++) {
				String requestId = submittedRequest(newMailbox());
				assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
				awaitStatus(requestId, "APPROVED");
				requestIds.add(requestId);
			}
			// The signer that is about to die fetches the chunk...
			for (String requestId : requestIds) {
				List<LockedExternalTask> locked = this.externalTasks.fetchAndLock(1, "dying-signer")
					.topic(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, 3000)
					.businessKey(requestId)
					.execute();
				assertThat(locked).hasSize(1);
			}
		}
		finally {
			EmbeddedSigners.start(this.context);
		}
		// ...signs and records it (the running signer cannot fetch these tasks while
		// they are locked), and dies before it completes them.
		List<IssuanceOutcome> signed = EmbeddedSigners.bean(this.context, IssueCertificate.class).issueAll(requestIds);
		assertThat(signed).allMatch(IssuanceOutcome::isIssued);
		Map<String, String> serials = new HashMap<>();
		signed.forEach((outcome) -> serials.put(outcome.requestId(), outcome.certificate().serialHex()));

		for (String requestId : requestIds) {
			JsonNode issued = awaitStatus(requestId, "ISSUED");
			assertThat(issued.get("certificateSerial").asText()).as("the certificate recorded before the death")
				.isEqualToIgnoringCase(serials.get(requestId));
			assertThat(this.jdbc.queryForObject("select count(*) from issued_certificate where request_id = ?",
					Integer.class, requestId))
				.isOne();
			assertThat(this.jdbc.queryForObject("select count(*) from serial_reservation where request_id = ?",
					Integer.class, requestId))
				.as("no serial reserved again")
				.isOne();
		}
	}

}
