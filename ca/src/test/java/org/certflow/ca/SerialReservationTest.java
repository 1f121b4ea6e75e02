package org.certflow.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialReservationTest {

	@TempDir
	static Path dataDir;

	static CaSettings settings;

	static byte[] csr;

	@BeforeAll
	static void setUp() {
		settings = TestSupport.settings(dataDir).build();
		// Creates the key store once; each test opens it with its own journal.
		CertificateAuthorities.openOrCreate(settings, new InMemoryIssuanceJournal());
		csr = TestSupport.csr(TestSupport.ecKey("secp256r1"));
	}

	@Test
	void drawsAgainWhenTheSerialIsAlreadyTaken() {
		ScriptedJournal journal = new ScriptedJournal();
		journal.collisions = 2;
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);

		IssuedCertificate issued = ca.issue(request("collide"));

		assertThat(journal.attempted).hasSize(3);
		assertThat(journal.attempted).doesNotHaveDuplicates();
		assertThat(issued.serial()).isEqualTo(journal.attempted.get(2));
	}

	@Test
	void burnsTheReservedSerialWhenTheCertificateCannotBeRecorded() {
		ScriptedJournal journal = new ScriptedJournal();
		journal.failRecording = true;
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);

		assertThatThrownBy(() -> ca.issue(request("unrecorded"))).hasMessageContaining("database down");

		BigInteger serial = journal.attempted.get(0);
		String issuer = ca.caChain().get(0).getSubjectX500Principal().getName();
		assertThat(journal.delegate.burnReason(issuer, serial)).contains("recording the signed certificate failed");
		assertThat(journal.delegate.findIssuedByRequestId("unrecorded")).isEmpty();
	}

	@Test
	void aConcurrentCallThatRecordedFirstWinsAndOurSerialIsBurned() throws Exception {
		IssuedCertificate other = CertificateAuthorities.openOrCreate(settings, new InMemoryIssuanceJournal())
			.issue(request("race"));
		ScriptedJournal journal = new ScriptedJournal();
		journal.recordedByOther = other.certificate().getEncoded();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);

		IssuedCertificate result = ca.issue(request("race"));

		assertThat(result.certificate()).isEqualTo(other.certificate());
		String issuer = ca.caChain().get(0).getSubjectX500Principal().getName();
		assertThat(journal.delegate.burnReason(issuer, journal.attempted.get(0))).isPresent();
	}

	@Test
	void lintFindingStopsIssuanceBeforeAnySerialIsReserved() {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		// Eleven years on, the issuing CA has expired: the validity is cut to the
		// issuer's
		// notAfter, which now lies before notBefore, and the lint must catch it.
		Clock late = Clock.fixed(Instant.now().plus(Duration.ofDays(11 * 365)), ZoneOffset.UTC);
		CertificateAuthority ca = CertificateAuthorities.issuing(settings, journal, late);

		assertThatThrownBy(() -> ca.issue(request("late")))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.LINT_FAILED))
			.hasMessageContaining("validity");

		// Lint runs on the TBS before the reservation: what is reserved and audited as
		// "about to sign" has always passed lint.
		assertThat(journal.reservations()).isEmpty();
		assertThat(journal.issuedCount()).isZero();
	}

	@Test
	void refusesAKeyAlreadyCertifiedForAnotherSubscriber() {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);
		ca.issue(request("first"));
		int reservations = journal.reservations().size();

		assertThatThrownBy(() -> ca
			.issue(new IssuanceRequest("second", csr, "standard", SubjectData.of("Mallory", "mallory@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.DUPLICATE_KEY));
		assertThat(journal.reservations()).hasSize(reservations);
	}

	@Test
	void allowsTheSameSubscriberToRenewWithTheSameKey() {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal);
		IssuedCertificate first = ca.issue(request("renew-1"));
		IssuedCertificate second = ca.issue(request("renew-2"));
		assertThat(second.serial()).isNotEqualTo(first.serial());
	}

	private static IssuanceRequest request(String id) {
		return new IssuanceRequest(id, csr, "standard", SubjectData.of("Alice Example", "alice@example.org"));
	}

	/** Delegates to the in-memory journal, with collisions and failures on demand. */
	static final class ScriptedJournal implements IssuanceJournal {

		final InMemoryIssuanceJournal delegate = new InMemoryIssuanceJournal();

		final List<BigInteger> attempted = new ArrayList<>();

		int collisions;

		boolean failRecording;

		/**
		 * What a concurrent caller recorded for the same request while ours was being
		 * signed.
		 */
		byte[] recordedByOther;

		private byte[] visible;

		@Override
		public Optional<byte[]> findIssuedByRequestId(String requestId) {
			if (this.visible != null) {
				return Optional.of(this.visible);
			}
			return this.delegate.findIssuedByRequestId(requestId);
		}

		@Override
		public boolean reserve(SerialReservation reservation) {
			this.attempted.add(reservation.serial());
			if (this.collisions > 0) {
				this.collisions--;
				return false;
			}
			return this.delegate.reserve(reservation);
		}

		@Override
		public void recordIssued(IssuedRecord issued) {
			if (this.recordedByOther != null) {
				this.visible = this.recordedByOther;
				throw new IllegalStateException("duplicate request id");
			}
			if (this.failRecording) {
				throw new IllegalStateException("database down");
			}
			this.delegate.recordIssued(issued);
		}

		@Override
		public void burn(String issuer, BigInteger serial, String why) {
			this.delegate.burn(issuer, serial, why);
		}

		@Override
		public Optional<String> subscriberOfPublicKey(byte[] spkiSha256) {
			return this.delegate.subscriberOfPublicKey(spkiSha256);
		}

	}

}
