package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.Map;

import org.certflow.EmbeddedSigners;
import org.certflow.request.CancelledRequestCertificates;
import org.certflow.request.RequestEventKind;
import org.certflow.request.RequestEvents;
import org.certflow.signer.IssueCertificate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signer that read a request as approved just before an RA admin cancelled it stores
 * its certificate after the cancellation: the sweep revokes it, once.
 */
class CancelledIssuanceTest extends IntegrationTest {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private CancelledRequestCertificates sweep;

	@Autowired
	private RequestEvents events;

	@Test
	void aCertificateSignedAfterTheCancellationIsRevokedBySweep() {
		String requestId = submittedRequest(newMailbox());
		// Scheduled issuance: approval creates no signing task, so this test decides when
		// the signer signs.
		this.jdbc.update("update certificate_request set class_issue_immediately = false where request_id = ?",
				requestId);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "APPROVED");
		HttpResponse<String> cancelled = postJson("/api/v1/requests/" + requestId + "/cancellation",
				Map.of("reason", "The applicant left."), ADMIN);
		assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);

		// The signer's read of the request happened before the cancellation committed.
		this.jdbc.update("update certificate_request set status = 'APPROVED' where request_id = ?", requestId);
		String serial = EmbeddedSigners.bean(this.context, IssueCertificate.class).issue(requestId);
		this.jdbc.update("update certificate_request set status = 'CANCELLED' where request_id = ?", requestId);
		assertThat(revocationReason(serial)).isNull();

		assertThat(this.sweep.revokeLeftovers()).isEqualTo(1);

		assertThat(revocationReason(serial)).isEqualTo("CESSATION_OF_OPERATION");
		assertThat(request(requestId).get("status").asText()).isEqualTo("CANCELLED");
		assertThat(this.events.timeline(requestId)).anySatisfy((event) -> {
			assertThat(event.kind()).isEqualTo(RequestEventKind.REVOKED);
			assertThat(event.detail()).contains(serial).contains("after the request was cancelled");
		});
		assertThat(this.sweep.revokeLeftovers()).as("nothing left the second time").isZero();
	}

	private String revocationReason(String serial) {
		return this.jdbc.queryForObject("select revocation_reason from issued_certificate where serial_hex = ?",
				String.class, serial);
	}

}
