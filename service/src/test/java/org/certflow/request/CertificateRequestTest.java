package org.certflow.request;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A request knows which moves its life has, and refuses the others as a conflict. */
class CertificateRequestTest {

	private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

	@Test
	void walksTheIssuingPath() {
		CertificateRequest request = request();
		request.submitted("Ada Applicant", null, new byte[] { 1 }, "EC P-256", "00", "CN=Ada", standardClass(), NOW);
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
	void aClassChangedAfterSubmissionDoesNotChangeTheSubmittedRequest() {
		CertificateClass highAssurance = new CertificateClass("high-assurance", "High", "standard", false);
		ReflectionTestUtils.setField(highAssurance, "phoneRequired", true);
		ReflectionTestUtils.setField(highAssurance, "allowedDomains", "example.org");
		CertificateRequest request = request();
		request.submitted("Ada Applicant", "+41 44 123 45 67", new byte[] { 1 }, "EC P-256", "00", "CN=Ada",
				highAssurance, NOW);

		// An RA admin edits the class afterwards.
		ReflectionTestUtils.setField(highAssurance, "phoneRequired", false);
		ReflectionTestUtils.setField(highAssurance, "issueImmediately", true);
		ReflectionTestUtils.setField(highAssurance, "allowedDomains", "other.example");
		ReflectionTestUtils.setField(highAssurance, "issuanceProfile", "other");

		assertThat(request.getClassPhoneRequired()).isTrue();
		assertThat(request.getClassIssueImmediately()).isFalse();
		assertThat(request.getClassAllowedDomains()).isEqualTo("example.org");
		assertThat(request.getClassIssuanceProfile()).isEqualTo("standard");
		assertThat(request.getPhone()).isEqualTo("+41 44 123 45 67");
	}

	@Test
	void thePolicyMayDecideASubmittedRequestItself() {
		for (RequestStatus decided : new RequestStatus[] { RequestStatus.APPROVED, RequestStatus.REJECTED,
				RequestStatus.DEFERRED }) {
			CertificateRequest request = inStatus(RequestStatus.SUBMITTED);
			request.decided("x", "policy reason", RequestEvents.POLICY, decided, NOW, NOW);
			assertThat(request.getStatus()).isEqualTo(decided);
		}
	}

	@Test
	void aDeferralClearsTheFirstApprovalOfDualControl() {
		CertificateRequest request = inStatus(RequestStatus.PENDING_VALIDATION);
		request.firstApproval("officer", NOW);
		assertThat(request.getFirstApprovedBy()).isEqualTo("officer");
		assertThat(request.getStatus()).isEqualTo(RequestStatus.PENDING_VALIDATION);

		request.decided("defer", "later", "officer2", RequestStatus.DEFERRED, NOW.plusSeconds(60), NOW);
		assertThat(request.getFirstApprovedBy()).isNull();
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

	private static CertificateClass standardClass() {
		return new CertificateClass("standard", "Standard", "standard", true);
	}

	private static CertificateRequest inStatus(RequestStatus status) {
		CertificateRequest request = request();
		ReflectionTestUtils.setField(request, "status", status);
		return request;
	}

}
