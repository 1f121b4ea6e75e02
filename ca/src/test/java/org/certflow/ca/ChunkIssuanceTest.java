package org.certflow.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk of requests costs the journal two commits, one that reserves and audits every
 * serial before anything is signed and one that records every certificate, and a request
 * that fails does not take the others with it.
 */
class ChunkIssuanceTest {

	@TempDir
	static Path dataDir;

	static CaSettings settings;

	@BeforeAll
	static void setUp() {
		settings = TestSupport.settings(dataDir).build();
		CertificateAuthorities.openOrCreate(settings, new InMemoryIssuanceJournal());
	}

	@Test
	void reservesEverySerialInOneCommitBeforeSigningAndRecordsThemInAnother() {
		CountingJournal journal = new CountingJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);

		List<IssuanceOutcome> outcomes = ca.issueAll(List.of(request("a"), request("b"), request("c")));

		assertThat(outcomes).allMatch(IssuanceOutcome::isIssued);
		assertThat(outcomes).extracting(IssuanceOutcome::requestId).containsExactly("a", "b", "c");
		assertThat(journal.calls).containsExactly("reserveAll:3", "recordAllIssued:3");
		// Each certificate carries the serial reserved (and audited) for its request.
		for (IssuanceOutcome outcome : outcomes) {
			assertThat(journal.delegate.reservations()).anyMatch((r) -> r.requestId().equals(outcome.requestId())
					&& r.serial().equals(outcome.certificate().serial()));
		}
		assertThat(outcomes).extracting((o) -> o.certificate().serial()).doesNotHaveDuplicates();
	}

	@Test
	void aRefusedRequestFailsAloneAndReservesNothing() {
		CountingJournal journal = new CountingJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);
		byte[] sharedKey = TestSupport.csr(TestSupport.ecKey("secp256r1"));
		ca.issue(new IssuanceRequest("holder", sharedKey, "standard", SubjectData.of("Alice", "alice@example.org")));
		journal.calls.clear();

		List<IssuanceOutcome> outcomes = ca.issueAll(List.of(request("d"),
				new IssuanceRequest("thief", sharedKey, "standard", SubjectData.of("Mallory", "mallory@example.org")),
				request("e")));

		assertThat(outcomes.get(0).isIssued()).isTrue();
		assertThat(outcomes.get(1).failure()).isInstanceOfSatisfying(IssuanceRefusedException.class,
				(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.DUPLICATE_KEY));
		assertThat(outcomes.get(2).isIssued()).isTrue();
		assertThat(journal.calls).containsExactly("reserveAll:2", "recordAllIssued:2");
	}

	@Test
	void aRequestAlreadyIssuedAnswersWithItsCertificateAndSignsNothing() {
		CountingJournal journal = new CountingJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);
		IssuedCertificate first = ca.issueAll(List.of(request("f"))).get(0).certificate();
		journal.calls.clear();

		List<IssuanceOutcome> again = ca.issueAll(List.of(request("f")));

		assertThat(again.get(0).certificate().certificate()).isEqualTo(first.certificate());
		assertThat(journal.calls).isEmpty();
	}

	@Test
	void whenTheChunkCannotBeRecordedEachCertificateIsRecordedAlone() {
		CountingJournal journal = new CountingJournal();
		journal.failChunkRecord = true;
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);

		List<IssuanceOutcome> outcomes = ca.issueAll(List.of(request("g"), request("h")));

		assertThat(outcomes).allMatch(IssuanceOutcome::isIssued);
		assertThat(journal.delegate.issuedCount()).isEqualTo(2);
		assertThat(journal.calls).containsExactly("reserveAll:2", "recordAllIssued:2", "recordIssued", "recordIssued");
	}

	private static IssuanceRequest request(String id) {
		return new IssuanceRequest(id, TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
				SubjectData.of("Subscriber " + id, id + "@example.org"));
	}

	/** The in-memory journal, counting what the CA asks of it. */
	static final class CountingJournal implements IssuanceJournal {

		final InMemoryIssuanceJournal delegate = new InMemoryIssuanceJournal();

		final List<String> calls = new ArrayList<>();

		boolean failChunkRecord;

		@Override
		public Optional<byte[]> findIssuedByRequestId(String requestId) {
			return this.delegate.findIssuedByRequestId(requestId);
		}

		@Override
		public boolean reserve(SerialReservation reservation) {
			this.calls.add("reserve");
			return this.delegate.reserve(reservation);
		}

		@Override
		public boolean reserveAll(List<SerialReservation> reservations) {
			this.calls.add("reserveAll:" + reservations.size());
			reservations.forEach(this.delegate::reserve);
			return true;
		}

		@Override
		public void recordAllIssued(List<IssuedRecord> issued) {
			this.calls.add("recordAllIssued:" + issued.size());
			// Every certificate of the chunk was reserved before it was signed.
			assertThat(issued).allMatch((i) -> this.delegate.reservations()
				.stream()
				.anyMatch((r) -> r.serial().equals(i.serial()) && r.requestId().equals(i.requestId())));
			if (this.failChunkRecord) {
				throw new IllegalStateException("deadlock, rolled back");
			}
			issued.forEach(this.delegate::recordIssued);
		}

		@Override
		public void recordIssued(IssuedRecord issued) {
			this.calls.add("recordIssued");
			this.delegate.recordIssued(issued);
		}

		@Override
		public void burn(String issuer, BigInteger serial, String why) {
			this.calls.add("burn");
			this.delegate.burn(issuer, serial, why);
		}

		@Override
		public Optional<String> subscriberOfPublicKey(byte[] spkiSha256) {
			return this.delegate.subscriberOfPublicKey(spkiSha256);
		}

	}

}
