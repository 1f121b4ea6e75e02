package org.certflow.request;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A request knows which moves its life has, and refuses the others as a conflict. */
class CertificateRequestTest {

	private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

	@Test
	void walksTheIssuingPath() {
		CertificateRequest request = request();
		request.submitted("Ada Applicant", new byte[] { 1 }, "EC P-256", "00", "CN=Ada", NOW);
		request.moveTo(RequestStatus.PENDING_VALIDATION, NOW);
		request.decided("defer", "later", "officer", RequestStatus.DEFERRED, NOW.plusSeconds(86400), NOW);
		request.moveTo(RequestStatus.PENDING_VALIDATION, NOW);
		request.decided("approve", null, "officer", RequestStatus.APPROVED, null, NOW);
		request.moveTo(RequestStatus.ISSUED, NOW);
		request.moveTo(RequestStatus.COLLECTED, NOW);
		request.moveTo(RequestStatus.REVOKED, NOW);

		assertThat(request.getStatus()).isEqualTo(RequestStatus.REVOKED);
	}

	@Test
	void aRetriedStepThatFindsTheStatusAlreadySetChangesNothing() {
		CertificateRequest request = inStatus(RequestStatus.REJECTED);
		request.rejected("again", NOW);

		assertThat(request.getStatus()).isEqualTo(RequestStatus.REJECTED);
	}

	@Test
	void impossibleMovesAreConflicts() {
		refused(inStatus(RequestStatus.EXPIRED), RequestStatus.COLLECTED);
		refused(inStatus(RequestStatus.REVOKED), RequestStatus.COLLECTED);
		refused(inStatus(RequestStatus.REJECTED), RequestStatus.APPROVED);
		refused(inStatus(RequestStatus.INVITED), RequestStatus.ISSUED);
		refused(inStatus(RequestStatus.COLLECTED), RequestStatus.EXPIRED);
		CertificateRequest rejected = inStatus(RequestStatus.REJECTED);
		assertThatExceptionOfType(RequestException.class)
			.isThrownBy(() -> rejected.decided("approve", null, "officer", RequestStatus.APPROVED, null, NOW))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(RequestException.Kind.CONFLICT));
		assertThat(rejected.getDecision()).as("nothing changed").isNull();
	}

	@Test
	void everyStatusHasItsMoves() {
		assertThat(CertificateRequest.LEGAL_MOVES).containsOnlyKeys(RequestStatus.values());
	}

	private static void refused(CertificateRequest request, RequestStatus to) {
		RequestStatus from = request.getStatus();
		assertThatExceptionOfType(RequestException.class).as(from + " -> " + to)
			.isThrownBy(() -> request.moveTo(to, NOW))
			.withMessageContaining(from.name())
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(RequestException.Kind.CONFLICT));
		assertThat(request.getStatus()).isEqualTo(from);
	}

	private static CertificateRequest request() {
		return new CertificateRequest("7d3c1c5e-0000-4000-8000-000000000001", "standard", "ada@example.org",
				"Ada Applicant", "admin", NOW);
	}

	private static CertificateRequest inStatus(RequestStatus status) {
		CertificateRequest request = request();
		org.springframework.test.util.ReflectionTestUtils.setField(request, "status", status);
		return request;
	}

}
