package org.certflow.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two RA nodes change one certificate at the same moment: each decides on the status it
 * read, and the second write must not stand on a status that is gone. The race is forced:
 * the other node's change lands between this node's read and its write.
 */
class StatusRulesRaceTest {

	@TempDir
	static Path dataDir;

	static RevocableCertificateAuthority ca;

	static InMemoryIssuanceJournal journal;

	static int counter;

	@BeforeAll
	static void setUp() {
		journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(), journal, journal);
	}

	@Test
	void aHoldDecidedBeforeAnotherNodesKeyCompromiseRevocationDoesNotOverwriteIt() {
		BigInteger serial = issue();
		RevocationRegistry racing = new OtherNodeActsAfterTheRead(journal,
				() -> new CertificateStatusRules(journal, Clock.systemUTC()).revoke(ca.issuerDn(), serial,
						RevocationReason.KEY_COMPROMISE));

		assertThatExceptionOfType(RevocationRefusedException.class)
			.isThrownBy(() -> new CertificateStatusRules(racing, Clock.systemUTC()).suspend(ca.issuerDn(), serial))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(RevocationRefusedException.Kind.ALREADY_REVOKED));
		assertThat(journal.status(ca.issuerDn(), serial).orElseThrow().reason())
			.isEqualTo(RevocationReason.KEY_COMPROMISE);
	}

	@Test
	void anUnsuspendDecidedBeforeAnotherNodesRevocationLeavesTheRevocation() {
		BigInteger serial = issue();
		new CertificateStatusRules(journal, Clock.systemUTC()).suspend(ca.issuerDn(), serial);
		RevocationRegistry racing = new OtherNodeActsAfterTheRead(journal,
				() -> new CertificateStatusRules(journal, Clock.systemUTC()).revoke(ca.issuerDn(), serial,
						RevocationReason.KEY_COMPROMISE));

		assertThatExceptionOfType(RevocationRefusedException.class)
			.isThrownBy(() -> new CertificateStatusRules(racing, Clock.systemUTC()).unsuspend(ca.issuerDn(), serial))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(RevocationRefusedException.Kind.NOT_ON_HOLD));
		assertThat(journal.status(ca.issuerDn(), serial).orElseThrow().reason())
			.isEqualTo(RevocationReason.KEY_COMPROMISE);
	}

	@Test
	void aRevocationDecidedOnAHoldThatAnotherNodeLiftedIsDecidedAgain() {
		BigInteger serial = issue();
		new CertificateStatusRules(journal, Clock.systemUTC()).suspend(ca.issuerDn(), serial);
		RevocationRegistry racing = new OtherNodeActsAfterTheRead(journal,
				() -> new CertificateStatusRules(journal, Clock.systemUTC()).unsuspend(ca.issuerDn(), serial));

		new CertificateStatusRules(racing, Clock.systemUTC()).revoke(ca.issuerDn(), serial,
				RevocationReason.SUPERSEDED);

		RevocationRegistry.CertificateStatus status = journal.status(ca.issuerDn(), serial).orElseThrow();
		assertThat(status.reason()).isEqualTo(RevocationReason.SUPERSEDED);
		// Decided again on a certificate that was good: its own revocation date, not the
		// lifted hold's.
		assertThat(status.revokedAt()).isNotNull();
	}

	private static BigInteger issue() {
		counter++;
		return ca
			.issue(new IssuanceRequest("race-" + counter, TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("User " + counter, "race" + counter + "@example.org")))
			.serial();
	}

	/**
	 * The registry as one node sees it while another node changes the same certificate:
	 * the first status read returns what was stored, and the other node's change is
	 * written right after it, before this node writes.
	 */
	private static final class OtherNodeActsAfterTheRead implements RevocationRegistry {

		private final RevocationRegistry store;

		private Runnable otherNode;

		OtherNodeActsAfterTheRead(RevocationRegistry store, Runnable otherNode) {
			this.store = store;
			this.otherNode = otherNode;
		}

		@Override
		public Optional<CertificateStatus> status(String issuer, BigInteger serial) {
			Optional<CertificateStatus> read = this.store.status(issuer, serial);
			if (this.otherNode != null) {
				Runnable change = this.otherNode;
				this.otherNode = null;
				change.run();
			}
			return read;
		}

		@Override
		public boolean recordRevocation(String issuer, BigInteger serial, RevocationReason reason, Instant revokedAt,
				RevocationReason expected) {
			return this.store.recordRevocation(issuer, serial, reason, revokedAt, expected);
		}

		@Override
		public boolean clearRevocation(String issuer, BigInteger serial, RevocationReason expected) {
			return this.store.clearRevocation(issuer, serial, expected);
		}

		@Override
		public List<RevokedEntry> revoked(String issuer, Instant notAfterFrom) {
			return this.store.revoked(issuer, notAfterFrom);
		}

		@Override
		public BigInteger nextCrlNumber(String issuer) {
			return this.store.nextCrlNumber(issuer);
		}

	}

}
