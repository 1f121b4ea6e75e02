package org.certflow.directory;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import org.certflow.directory.DirectoryEntries.Kind;
import org.certflow.directory.DirectoryEntries.Republication;
import org.certflow.directory.DirectoryEntries.State;
import org.certflow.directory.DirectoryEntries.Stored;
import org.certflow.directory.DirectoryEntries.Withdrawal;
import org.certflow.directory.DirectorySettings.OnRevoke;
import org.certflow.revocation.RevocationStore;
import org.certflow.revocation.RevocationStore.CaRole;
import org.certflow.revocation.RevocationStore.PublishedCa;
import org.certflow.revocation.RevocationStore.StoredCrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * In-port: brings the directory up to date with CertFlow's records, every
 * {@code certflow.directory.sync-interval} on every RA node (each change is idempotent,
 * so nodes running it at once do no harm):
 * <ul>
 * <li>each CA entry holds the CA certificate and the CRL the signer last stored (the RA
 * reads what the signer produced and never holds a CA key);</li>
 * <li>with {@code on-revoke: remove}, a published certificate that was revoked, or whose
 * activation expired uncollected, is removed from its holder's entry.</li>
 * </ul>
 * What fails is recorded for RA admins and tried again at the next sync, for as long as
 * it takes.
 */
@Service
public class SyncDirectory {

	private static final Logger log = LoggerFactory.getLogger(SyncDirectory.class);

	/** The most removals one sync makes; the rest follow at the next. */
	private static final int BATCH = 200;

	private final DirectorySettings settings;

	private final CertificateDirectory directory;

	private final DirectoryEntries entries;

	private final RevocationStore store;

	private final Clock clock;

	/**
	 * CA entries this node has written since it started. The first sync writes them
	 * whatever the records say, since the directory may have lost them meanwhile (the
	 * embedded one always has, a real one may have been restored from a backup).
	 */
	private final Set<CaRole> writtenSinceStart = ConcurrentHashMap.newKeySet();

	/** Whether the embedded directory's certificates were written again after start. */
	private final AtomicBoolean embeddedRefilled = new AtomicBoolean();

	SyncDirectory(DirectorySettings settings, CertificateDirectory directory, DirectoryEntries entries,
			RevocationStore store, Clock clock) {
		this.settings = settings;
		this.directory = directory;
		this.entries = entries;
		this.store = store;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${certflow.directory.sync-interval}",
			fixedDelayString = "${certflow.directory.sync-interval}")
	void scheduled() {
		if (this.settings.enabled()) {
			syncCaEntries();
			refillEmbeddedDirectory();
			withdrawCertificatesNoLongerGood();
		}
	}

	/**
	 * The embedded directory starts empty with every start of CertFlow: once after start,
	 * every certificate the records show as published is written to it again, so that
	 * mail clients keep finding certificates issued before the restart.
	 * @return how many certificates were written
	 */
	public int refillEmbeddedDirectory() {
		if (!this.settings.embedded().enabled() || this.embeddedRefilled.get()) {
			return 0;
		}
		int written = 0;
		for (Republication published : this.entries.publishedCertificates()) {
			try {
				String dn = this.directory.publish(
						new CertificateDirectory.Holder(published.email(), published.fullName()),
						published.certificateDer());
				this.entries.published(published.requestId(), Kind.CERTIFICATE, dn,
						Digests.sha256Hex(published.certificateDer()), this.clock.instant());
				written++;
			}
			catch (DirectoryUnavailableException ex) {
				log.warn("{}; tried again in {}", ex.getMessage(), this.settings.syncInterval());
				this.entries.failed(published.requestId(), Kind.CERTIFICATE, ex.getMessage(), this.clock.instant());
				return written;
			}
		}
		this.embeddedRefilled.set(true);
		if (written > 0) {
			log.info("{} certificates published before the restart written to the embedded directory again", written);
		}
		return written;
	}

	/**
	 * Writes each CA entry whose certificate or CRL changed since it was last written.
	 * @return how many entries were written
	 */
	public int syncCaEntries() {
		Optional<PublishedCa> ca = this.store.ca();
		if (ca.isEmpty()) {
			return 0;
		}
		int written = 0;
		written += syncCa(CaRole.ISSUING, ca.get().issuingDer());
		written += syncCa(CaRole.ROOT, ca.get().rootDer());
		return written;
	}

	private int syncCa(CaRole role, byte[] certificate) {
		if (certificate == null) {
			return 0;
		}
		String item = "CA:" + role.name();
		byte[] crl = this.store.crl(role).map(StoredCrl::der).orElse(null);
		String content = Digests.sha256Hex(certificate, crl);
		Optional<Stored> stored = this.entries.find(item);
		if (this.writtenSinceStart.contains(role) && stored.isPresent() && stored.get().state() == State.PUBLISHED
				&& content.equals(stored.get().contentSha256())) {
			return 0;
		}
		try {
			String dn = this.directory
				.publishCa(new CertificateDirectory.CaMaterial(commonName(certificate), certificate, crl));
			this.entries.published(item, Kind.CA, dn, content, this.clock.instant());
			this.writtenSinceStart.add(role);
			log.info("Directory entry {} now holds the {} CA certificate{}", dn, role.name().toLowerCase(Locale.ROOT),
					(crl != null) ? " and its current CRL" : "");
			return 1;
		}
		catch (DirectoryUnavailableException ex) {
			log.warn("{}; tried again in {}", ex.getMessage(), this.settings.syncInterval());
			this.entries.failed(item, Kind.CA, ex.getMessage(), this.clock.instant());
			return 0;
		}
	}

	/**
	 * Removes published certificates that are no longer good, when so configured.
	 * @return how many were removed
	 */
	public int withdrawCertificatesNoLongerGood() {
		if (this.settings.onRevoke() != OnRevoke.REMOVE) {
			return 0;
		}
		int removed = 0;
		for (Withdrawal withdrawal : this.entries.dueForWithdrawal(BATCH)) {
			try {
				this.directory.withdraw(withdrawal.entryDn(), withdrawal.certificateDer());
				this.entries.withdrawn(withdrawal.requestId(), this.clock.instant());
				log.info("Certificate of request {} removed from {}", withdrawal.requestId(), withdrawal.entryDn());
				removed++;
			}
			catch (DirectoryUnavailableException ex) {
				log.warn("{}; tried again in {}", ex.getMessage(), this.settings.syncInterval());
				this.entries.failed(withdrawal.requestId(), Kind.CERTIFICATE, ex.getMessage(), this.clock.instant());
			}
		}
		return removed;
	}

	private static String commonName(byte[] certificate) {
		try {
			X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(certificate));
			DN subject = new DN(parsed.getSubjectX500Principal().getName());
			for (RDN rdn : subject.getRDNs()) {
				for (int i = 0; i < rdn.getAttributeNames().length; i++) {
					if ("cn".equalsIgnoreCase(rdn.getAttributeNames()[i])) {
						return rdn.getAttributeValues()[i];
					}
				}
			}
			return subject.getRDNString();
		}
		catch (CertificateException | LDAPException ex) {
			throw new IllegalStateException("The stored CA certificate cannot be read", ex);
		}
	}

}
