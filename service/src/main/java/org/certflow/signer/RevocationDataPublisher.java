package org.certflow.signer;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.certflow.ca.PreProducedOcsp;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.revocation.RevocationStore;
import org.certflow.ca.SignedCrl;
import org.certflow.revocation.RevocationStore.CaRole;
import org.certflow.revocation.RevocationStore.DueCertificate;
import org.certflow.revocation.RevocationStore.PendingChange;
import org.certflow.revocation.RevocationStore.StoredCrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs in the signer, the only process with the CA key: signs the revocation data that
 * every node then serves as stored bytes (see {@link CaPublication}). Each run
 * <ol>
 * <li>publishes the CA certificates, so nodes without the key store can serve the
 * chain;</li>
 * <li>signs OCSP responses for every certificate that is due: newly issued, status
 * changed, or half the previous responses' validity gone, so a response is always
 * replaced well before its nextUpdate;</li>
 * <li>signs a new issuing CA CRL when a status change is not on the stored one yet, or
 * half its validity has passed; the root's CRL when half of its validity has passed.</li>
 * </ol>
 * With several signers the scheduled run takes a ShedLock lock, so it runs once per
 * cluster at a time.
 */
public class RevocationDataPublisher {

	/** Name of the cluster-wide lock in table {@code shedlock}. */
	static final String LOCK = "revocation-data-publisher";

	private static final Logger log = LoggerFactory.getLogger(RevocationDataPublisher.class);

	/**
	 * Rows fetched per query; a run goes on until nothing is due or the budget is used.
	 */
	private static final int BATCH = 200;

	/**
	 * Certificates per run at most, so a backlog (a first start over many certificates)
	 * never holds the lock for long; the next run a moment later goes on.
	 */
	private static final int MAX_PER_RUN = 5_000;

	/**
	 * How often an operator's root CRL file is looked at again when the key is offline.
	 */
	private static final Duration OFFLINE_ROOT_RECHECK = Duration.ofMinutes(1);

	private final RevocableCertificateAuthority ca;

	private final RevocationStore store;

	private final Clock clock;

	private final String issuer;

	private volatile boolean chainPublished;

	private Instant rootCheckedAt;

	public RevocationDataPublisher(RevocableCertificateAuthority ca, RevocationStore store, Clock clock) {
		this.ca = ca;
		this.store = store;
		this.clock = clock;
		this.issuer = ca.issuerDn();
	}

	@Scheduled(fixedDelayString = "${certflow.signer.publish-interval:PT1S}")
	@SchedulerLock(name = LOCK, lockAtMostFor = "PT1M")
	public void publishOnSchedule() {
		try {
			publishDue();
		}
		catch (RuntimeException ex) {
			// The next run retries; nothing is marked done that was not stored.
			log.warn("Publishing revocation data failed; retrying on the next run", ex);
		}
	}

	/**
	 * Publishes whatever is due now. Tests and the signer may call it directly; calls in
	 * one process never overlap.
	 * @return what was published
	 */
	public synchronized Published publishDue() {
		Instant now = this.clock.instant();
		publishChain();
		int responses = publishOcsp(now);
		boolean crl = publishCrl(now);
		boolean rootCrl = publishRootCrl(now);
		if (responses > 0 || crl || rootCrl) {
			log.debug("Published {} OCSP response pairs, issuing CRL: {}, root CRL: {}", responses, crl, rootCrl);
		}
		return new Published(responses, crl, rootCrl);
	}

	private void publishChain() {
		if (this.chainPublished) {
			return;
		}
		List<X509Certificate> chain = this.ca.caChain();
		byte[] issuing = encoded(chain.get(0));
		byte[] root = encoded(chain.get(chain.size() - 1));
		Optional<RevocationStore.PublishedCa> published = this.store.ca();
		if (published.isEmpty() || !Arrays.equals(published.get().issuingDer(), issuing)
				|| !Arrays.equals(published.get().rootDer(), root)) {
			this.store.storeChain(issuing, root);
		}
		this.chainPublished = true;
	}

	private int publishOcsp(Instant now) {
		int produced = 0;
		while (produced < MAX_PER_RUN) {
			List<DueCertificate> due = this.store.dueForOcsp(this.issuer, now, BATCH);
			int movedOn = 0;
			for (DueCertificate certificate : due) {
				Optional<PreProducedOcsp> responses = this.ca.produceOcsp(certificate.serial());
				if (responses.isEmpty()) {
					// Not in the registry: cannot happen for a row of issued_certificate.
					continue;
				}
				PreProducedOcsp p = responses.get();
				this.store.storeOcsp(this.issuer, p);
				// Refreshed at half the validity; after expiry one last response is kept
				// and the certificate is not due again.
				Instant next = certificate.notAfter().isBefore(now) ? null
						: p.thisUpdate().plus(Duration.between(p.thisUpdate(), p.nextUpdate()).dividedBy(2));
				if (this.store.ocspProduced(this.issuer, certificate, next)) {
					movedOn++;
				}
				produced++;
			}
			// A short batch was the last; a batch where nothing moved on (every status
			// changed meanwhile) is left to the next run rather than looped on.
			if (due.size() < BATCH || movedOn == 0) {
				break;
			}
		}
		return produced;
	}

	private boolean publishCrl(Instant now) {
		Optional<StoredCrl> stored = this.store.crl(CaRole.ISSUING);
		// Read before signing: a change recorded while the CRL is signed keeps its mark.
		List<PendingChange> pending = this.store.crlPending(this.issuer);
		if (stored.isPresent() && pending.isEmpty() && !halfGone(stored.get(), now)) {
			return false;
		}
		SignedCrl crl = this.ca.produceCrl();
		this.store.storeCrl(CaRole.ISSUING, this.issuer, crl);
		this.store.crlPublished(this.issuer, pending);
		return true;
	}

	private boolean publishRootCrl(Instant now) {
		Optional<StoredCrl> stored = this.store.crl(CaRole.ROOT);
		if (stored.isPresent() && !halfGone(stored.get(), now)) {
			return false;
		}
		// With the root key offline the CRL is an operator's file that may be old or
		// missing; look at it again only now and then.
		if (this.rootCheckedAt != null && now.isBefore(this.rootCheckedAt.plus(OFFLINE_ROOT_RECHECK))) {
			return false;
		}
		this.rootCheckedAt = now;
		SignedCrl crl;
		try {
			crl = this.ca.produceRootCrl();
		}
		catch (IllegalStateException ex) {
			log.warn("No root CA CRL to publish: {}", ex.getMessage());
			return false;
		}
		if (stored.isPresent() && Arrays.equals(stored.get().der(), crl.der())) {
			return false;
		}
		this.store.storeCrl(CaRole.ROOT,
				this.ca.caChain().get(this.ca.caChain().size() - 1).getSubjectX500Principal().getName(), crl);
		this.rootCheckedAt = null;
		return true;
	}

	private static boolean halfGone(StoredCrl crl, Instant now) {
		Duration validity = Duration.between(crl.thisUpdate(), crl.nextUpdate());
		return !now.isBefore(crl.thisUpdate().plus(validity.dividedBy(2)));
	}

	private static byte[] encoded(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException("A CA certificate cannot be encoded", ex);
		}
	}

	/**
	 * What one run published.
	 *
	 * @param ocspResponses certificates whose OCSP responses were signed
	 * @param crl whether a new issuing CA CRL was stored
	 * @param rootCrl whether a new root CA CRL was stored
	 */
	public record Published(int ocspResponses, boolean crl, boolean rootCrl) {
	}

}
