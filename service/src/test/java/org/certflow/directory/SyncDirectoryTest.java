package org.certflow.directory;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.certflow.directory.CertificateDirectory.CaMaterial;
import org.certflow.directory.CertificateDirectory.Holder;
import org.certflow.directory.DirectoryEntries.Kind;
import org.certflow.directory.DirectoryEntries.Republication;
import org.certflow.directory.DirectoryEntries.State;
import org.certflow.directory.DirectoryEntries.Stored;
import org.certflow.directory.DirectoryEntries.Withdrawal;
import org.certflow.directory.DirectorySettings.Embedded;
import org.certflow.directory.DirectorySettings.OnRevoke;
import org.certflow.revocation.RevocationStore;
import org.certflow.revocation.RevocationStore.CaRole;
import org.certflow.revocation.RevocationStore.PublishedCa;
import org.certflow.revocation.RevocationStore.StoredCrl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The sync that keeps CA entries, CRLs and removals current, decided from CertFlow's
 * records.
 */
class SyncDirectoryTest {

	private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

	private final CertificateDirectory directory = mock(CertificateDirectory.class);

	private final DirectoryEntries entries = mock(DirectoryEntries.class);

	private final RevocationStore store = mock(RevocationStore.class);

	private byte[] issuingCa;

	private byte[] crl;

	@BeforeEach
	void aPublishedCaWithItsCrl() throws Exception {
		this.issuingCa = DirectoryFixtures.certificate("CN=CertFlow Issuing CA,O=CertFlow");
		this.crl = DirectoryFixtures.crl("CN=CertFlow Issuing CA,O=CertFlow");
		when(this.store.ca()).thenReturn(Optional.of(new PublishedCa("CN=CertFlow Issuing CA", this.issuingCa, null)));
		when(this.store.crl(CaRole.ISSUING))
			.thenReturn(Optional.of(new StoredCrl(this.crl, BigInteger.ONE, NOW, NOW.plusSeconds(3600))));
		when(this.directory.publishCa(any())).thenReturn("cn=CertFlow Issuing CA,ou=ca,dc=certflow,dc=local");
	}

	@Test
	void theFirstSyncWritesTheCaEntryEvenWhenTheRecordsSayItIsCurrentAndLaterOnesOnlyOnAChange() throws Exception {
		SyncDirectory sync = sync(OnRevoke.REMOVE, false);
		when(this.entries.find("CA:ISSUING"))
			.thenReturn(Optional.of(new Stored(State.PUBLISHED, Digests.sha256Hex(this.issuingCa, this.crl))));

		// The directory may have lost it while CertFlow was down.
		assertThat(sync.syncCaEntries()).isEqualTo(1);
		ArgumentCaptor<CaMaterial> written = ArgumentCaptor.forClass(CaMaterial.class);
		verify(this.directory).publishCa(written.capture());
		assertThat(written.getValue().commonName()).isEqualTo("CertFlow Issuing CA");
		assertThat(written.getValue().crlDer()).isEqualTo(this.crl);

		assertThat(sync.syncCaEntries()).as("nothing changed").isZero();

		byte[] next = DirectoryFixtures.crl("CN=CertFlow Issuing CA,O=CertFlow");
		when(this.store.crl(CaRole.ISSUING))
			.thenReturn(Optional.of(new StoredCrl(next, BigInteger.TWO, NOW, NOW.plusSeconds(3600))));
		assertThat(sync.syncCaEntries()).as("a new CRL").isEqualTo(1);
	}

	@Test
	void aCaEntryTheDirectoryRefusesIsRecordedAndTriedAgainAtTheNextSync() {
		SyncDirectory sync = sync(OnRevoke.REMOVE, false);
		when(this.directory.publishCa(any())).thenThrow(new DirectoryUnavailableException("Could not: down", null))
			.thenReturn("cn=x");

		assertThat(sync.syncCaEntries()).isZero();
		verify(this.entries).failed(eq("CA:ISSUING"), eq(Kind.CA), eq("Could not: down"), eq(NOW));
		assertThat(sync.syncCaEntries()).isEqualTo(1);
		verify(this.entries).published(eq("CA:ISSUING"), eq(Kind.CA), eq("cn=x"), anyString(), eq(NOW));
	}

	@Test
	void revokedCertificatesAreRemovedOnlyWhenSoConfigured() {
		byte[] certificate = { 1, 2, 3 };
		when(this.entries.dueForWithdrawal(anyInt()))
			.thenReturn(List.of(new Withdrawal("REQ-1", "mail=a@example.org,ou=people", certificate)));

		assertThat(sync(OnRevoke.KEEP, false).withdrawCertificatesNoLongerGood()).isZero();
		verify(this.directory, never()).withdraw(any(), any());

		assertThat(sync(OnRevoke.REMOVE, false).withdrawCertificatesNoLongerGood()).isEqualTo(1);
		verify(this.directory).withdraw("mail=a@example.org,ou=people", certificate);
		verify(this.entries).withdrawn("REQ-1", NOW);
	}

	@Test
	void theEmbeddedDirectoryGetsEveryPublishedCertificateBackOnceAfterAStart() {
		byte[] certificate = { 1, 2, 3 };
		when(this.entries.publishedCertificates())
			.thenReturn(List.of(new Republication("REQ-1", "ada@example.org", "Ada Lovelace", certificate)));

		assertThat(sync(OnRevoke.REMOVE, false).refillEmbeddedDirectory()).as("a real directory keeps them").isZero();

		SyncDirectory embedded = sync(OnRevoke.REMOVE, true);
		assertThat(embedded.refillEmbeddedDirectory()).isEqualTo(1);
		assertThat(embedded.refillEmbeddedDirectory()).isZero();
		verify(this.directory, times(1)).publish(new Holder("ada@example.org", "Ada Lovelace"), certificate);
	}

	private SyncDirectory sync(OnRevoke onRevoke, boolean embedded) {
		DirectorySettings settings = new DirectorySettings(true, "ldaps://ldap.example.org", false, "cn=certflow", "x",
				null, "dc=certflow,dc=local", "mail={mail},ou=people,dc=certflow,dc=local", List.of("inetOrgPerson"),
				"cn={cn},ou=ca,dc=certflow,dc=local", List.of("pkiCA"), onRevoke, Duration.ofSeconds(1),
				Duration.ofSeconds(1), Duration.ofMinutes(1), new Embedded(embedded, 0));
		return new SyncDirectory(settings, this.directory, this.entries, this.store, Clock.fixed(NOW, ZoneOffset.UTC));
	}

}
