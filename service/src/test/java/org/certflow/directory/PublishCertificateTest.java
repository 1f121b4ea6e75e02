package org.certflow.directory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.certflow.ca.IssuanceJournal;
import org.certflow.directory.CertificateDirectory.Holder;
import org.certflow.directory.DirectoryEntries.Kind;
import org.certflow.directory.DirectorySettings.Embedded;
import org.certflow.directory.DirectorySettings.OnRevoke;
import org.certflow.issuance.CertificateChains;
import org.certflow.issuance.CertificateChains.Standing;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.RequestStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * What the publishing step decides from CertFlow's records before it writes to the
 * directory.
 */
class PublishCertificateTest {

	private static final String REQUEST_ID = "REQ-1";

	private static final byte[] CERTIFICATE = { 0x30, 0x03, 0x02, 0x01, 0x01 };

	private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

	private final CertificateDirectory directory = mock(CertificateDirectory.class);

	private final DirectoryEntries entries = mock(DirectoryEntries.class);

	private final CertificateRequests requests = mock(CertificateRequests.class);

	private final IssuanceJournal journal = mock(IssuanceJournal.class);

	private final CertificateChains chains = mock(CertificateChains.class);

	private final CertificateRequest request = mock(CertificateRequest.class);

	@BeforeEach
	void aRequestWithItsCertificate() {
		when(this.request.getEmail()).thenReturn("ada@example.org");
		when(this.request.getFullName()).thenReturn("Ada Lovelace");
		when(this.request.getStatus()).thenReturn(RequestStatus.ISSUED);
		when(this.requests.findById(REQUEST_ID)).thenReturn(Optional.of(this.request));
		when(this.journal.findIssuedByRequestId(REQUEST_ID)).thenReturn(Optional.of(CERTIFICATE));
		when(this.chains.standing(REQUEST_ID)).thenReturn(Optional.of(Standing.GOOD));
		when(this.directory.publish(any(), any())).thenReturn("mail=ada@example.org,ou=people,dc=certflow,dc=local");
	}

	@Test
	void aGoodCertificateIsPublishedAndRecorded() {
		publisher(OnRevoke.REMOVE, true).publish(REQUEST_ID);

		verify(this.directory).publish(new Holder("ada@example.org", "Ada Lovelace"), CERTIFICATE);
		verify(this.entries).published(eq(REQUEST_ID), eq(Kind.CERTIFICATE),
				eq("mail=ada@example.org,ou=people,dc=certflow,dc=local"), anyString(), eq(NOW));
	}

	@Test
	void aCertificateRevokedBeforeItsStepRanIsNotPublishedWhenRevokedOnesAreRemoved() {
		when(this.chains.standing(REQUEST_ID)).thenReturn(Optional.of(Standing.REVOKED));
		publisher(OnRevoke.REMOVE, true).publish(REQUEST_ID);

		verify(this.directory, never()).publish(any(), any());
		verify(this.entries).notPublished(REQUEST_ID, NOW);
	}

	@Test
	void aCertificateWhoseActivationExpiredIsNotPublishedWhenRevokedOnesAreRemoved() {
		when(this.request.getStatus()).thenReturn(RequestStatus.EXPIRED);
		publisher(OnRevoke.REMOVE, true).publish(REQUEST_ID);

		verify(this.directory, never()).publish(any(), any());
	}

	@Test
	void withKeepEvenARevokedCertificateIsPublished() {
		when(this.chains.standing(REQUEST_ID)).thenReturn(Optional.of(Standing.REVOKED));
		publisher(OnRevoke.KEEP, true).publish(REQUEST_ID);

		verify(this.directory).publish(any(), eq(CERTIFICATE));
	}

	@Test
	void aCertificateOnHoldIsPublished() {
		when(this.chains.standing(REQUEST_ID)).thenReturn(Optional.of(Standing.ON_HOLD));
		publisher(OnRevoke.REMOVE, true).publish(REQUEST_ID);

		verify(this.directory).publish(any(), eq(CERTIFICATE));
	}

	@Test
	void anOutageIsRecordedForRaAdminsAndFailsTheStepSoThatItIsRetried() {
		when(this.directory.publish(any(), any()))
			.thenThrow(new DirectoryUnavailableException("Could not publish: connect error", null));

		assertThatThrownBy(() -> publisher(OnRevoke.REMOVE, true).publish(REQUEST_ID))
			.isInstanceOf(DirectoryUnavailableException.class);
		verify(this.entries).failed(eq(REQUEST_ID), eq(Kind.CERTIFICATE), contains("connect error"), eq(NOW));
		verify(this.entries, never()).published(any(), any(), any(), any(), any());
	}

	@Test
	void withPublishingSwitchedOffNothingIsWritten() {
		publisher(OnRevoke.REMOVE, false).publish(REQUEST_ID);

		verify(this.directory, never()).publish(any(), any());
	}

	private PublishCertificate publisher(OnRevoke onRevoke, boolean enabled) {
		DirectorySettings settings = new DirectorySettings(enabled, "ldap://localhost:1389", false, "cn=certflow", "x",
				null, "dc=certflow,dc=local", "mail={mail},ou=people,dc=certflow,dc=local", List.of("inetOrgPerson"),
				"cn={cn},ou=ca,dc=certflow,dc=local", List.of("pkiCA"), onRevoke, java.time.Duration.ofSeconds(1),
				java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(1), new Embedded(false, 0));
		return new PublishCertificate(settings, this.directory, this.entries, this.requests, this.journal, this.chains,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

}
