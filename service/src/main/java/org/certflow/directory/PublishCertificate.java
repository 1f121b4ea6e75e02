package org.certflow.directory;

import java.time.Clock;
import java.util.Optional;

import org.certflow.ca.IssuanceJournal;
import org.certflow.directory.DirectoryEntries.Kind;
import org.certflow.directory.DirectorySettings.OnRevoke;
import org.certflow.issuance.CertificateChains;
import org.certflow.issuance.CertificateChains.Standing;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.RequestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: publishes a request's certificate to the holder's directory entry. Run as a
 * retried step after issuance; running it again adds nothing. A certificate that is no
 * longer good when the step runs (revoked, or its activation expired uncollected) is not
 * published when {@code certflow.directory.on-revoke} is remove.
 */
@Service
public class PublishCertificate {

	private static final Logger log = LoggerFactory.getLogger(PublishCertificate.class);

	private final DirectorySettings settings;

	private final CertificateDirectory directory;

	private final DirectoryEntries entries;

	private final CertificateRequests requests;

	private final IssuanceJournal journal;

	private final CertificateChains chains;

	private final Clock clock;

	PublishCertificate(DirectorySettings settings, CertificateDirectory directory, DirectoryEntries entries,
			CertificateRequests requests, IssuanceJournal journal, CertificateChains chains, Clock clock) {
		this.settings = settings;
		this.directory = directory;
		this.entries = entries;
		this.requests = requests;
		this.journal = journal;
		this.chains = chains;
		this.clock = clock;
	}

	/**
	 * @param requestId the request whose certificate was issued
	 * @throws DirectoryUnavailableException when the directory cannot take it now; the
	 * failure is recorded for RA admins and the caller tries again later
	 */
	@Transactional
	public void publish(String requestId) {
		if (!this.settings.enabled()) {
			return;
		}
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		byte[] certificate = this.journal.findIssuedByRequestId(requestId)
			.orElseThrow(() -> new IllegalStateException("No certificate was issued for request " + requestId));
		if (this.settings.onRevoke() == OnRevoke.REMOVE && !stillGood(request, this.chains.standing(requestId))) {
			log.info("Certificate of request {} is not published: it is no longer good ({})", requestId,
					request.getStatus());
			this.entries.notPublished(requestId, this.clock.instant());
			return;
		}
		String entryDn;
		try {
			entryDn = this.directory.publish(new CertificateDirectory.Holder(request.getEmail(), request.getFullName()),
					certificate);
		}
		catch (DirectoryUnavailableException ex) {
			this.entries.failed(requestId, Kind.CERTIFICATE, ex.getMessage(), this.clock.instant());
			throw ex;
		}
		this.entries.published(requestId, Kind.CERTIFICATE, entryDn, Digests.sha256Hex(certificate),
				this.clock.instant());
		log.info("Certificate of request {} published to {}", requestId, entryDn);
	}

	private static boolean stillGood(CertificateRequest request, Optional<Standing> standing) {
		return standing.orElse(Standing.GOOD) != Standing.REVOKED && request.getStatus() != RequestStatus.EXPIRED
				&& request.getStatus() != RequestStatus.REVOKED;
	}

}
