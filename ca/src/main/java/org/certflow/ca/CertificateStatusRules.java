package org.certflow.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which status changes a subscriber certificate may go through: revoke, suspend
 * (certificateHold) and unsuspend. The rules need no key, only the registry, so that a
 * node without the CA key store can decide and record a change; the CA's signer later
 * publishes it in CRLs and OCSP responses.
 * <p>
 * Each change is written only if the stored status is still the one it was decided on, so
 * two nodes (or two admins) cannot both pass a check on the same old status: a
 * keyCompromise revocation is never overwritten by a hold decided a moment earlier.
 */
public final class CertificateStatusRules {

	/**
	 * When another node wrote first, the change is decided again on what it wrote, this
	 * many times at most.
	 */
	private static final int ATTEMPTS = 5;

	private static final Logger log = LoggerFactory.getLogger(CertificateStatusRules.class);

	private final RevocationRegistry registry;

	private final Clock clock;

	public CertificateStatusRules(RevocationRegistry registry, Clock clock) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Revokes a certificate for good. A certificate on hold may be revoked with a final
	 * reason (the hold's date is kept); an already revoked certificate may only be moved
	 * to keyCompromise.
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial
	 * @param reason any RFC 5280 reason except certificateHold (use {@link #suspend}) and
	 * the CA reasons cACompromise/aACompromise
	 * @throws RevocationRefusedException when the transition is not allowed
	 */
	public synchronized void revoke(String issuer, BigInteger serial, RevocationReason reason) {
		if (reason == RevocationReason.CERTIFICATE_HOLD) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.REASON_NOT_ALLOWED,
					"certificateHold is a suspension; use suspend");
		}
		if (reason == RevocationReason.CA_COMPROMISE || reason == RevocationReason.AA_COMPROMISE) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.REASON_NOT_ALLOWED,
					reason.rfcName() + " applies to CA certificates, not to subscriber certificates");
		}
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			RevocationRegistry.CertificateStatus status = known(issuer, serial);
			if (status.revoked() && status.reason() != RevocationReason.CERTIFICATE_HOLD) {
				boolean escalation = reason == RevocationReason.KEY_COMPROMISE
						&& status.reason() != RevocationReason.KEY_COMPROMISE;
				if (!escalation) {
					throw new RevocationRefusedException(RevocationRefusedException.Kind.ALREADY_REVOKED, "certificate "
							+ serial.toString(16) + " is already revoked (" + status.reason().rfcName() + ")");
				}
			}
			// Keep the first revocation date: relying parties should distrust from the
			// earliest moment.
			if (this.registry.recordRevocation(issuer, serial, reason,
					status.revoked() ? status.revokedAt() : this.clock.instant().truncatedTo(ChronoUnit.SECONDS),
					status.reason())) {
				log.info("Revoked serial {} ({})", serial.toString(16), reason.rfcName());
				return;
			}
		}
		throw changedConcurrently(serial);
	}

	/**
	 * Puts a certificate on hold (revoked with reason certificateHold).
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial
	 * @throws RevocationRefusedException when unknown or already revoked
	 */
	public synchronized void suspend(String issuer, BigInteger serial) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			RevocationRegistry.CertificateStatus status = known(issuer, serial);
			if (status.revoked()) {
				throw new RevocationRefusedException(RevocationRefusedException.Kind.ALREADY_REVOKED, "certificate "
						+ serial.toString(16) + " is already revoked or on hold (" + status.reason().rfcName() + ")");
			}
			if (this.registry.recordRevocation(issuer, serial, RevocationReason.CERTIFICATE_HOLD,
					this.clock.instant().truncatedTo(ChronoUnit.SECONDS), null)) {
				log.info("Suspended serial {}", serial.toString(16));
				return;
			}
		}
		throw changedConcurrently(serial);
	}

	/**
	 * Takes a certificate off hold; it is good again.
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial
	 * @throws RevocationRefusedException when unknown or not on hold
	 */
	public synchronized void unsuspend(String issuer, BigInteger serial) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			RevocationRegistry.CertificateStatus status = known(issuer, serial);
			if (status.reason() != RevocationReason.CERTIFICATE_HOLD) {
				throw new RevocationRefusedException(RevocationRefusedException.Kind.NOT_ON_HOLD,
						"certificate " + serial.toString(16) + " is not on hold");
			}
			if (this.registry.clearRevocation(issuer, serial, RevocationReason.CERTIFICATE_HOLD)) {
				log.info("Unsuspended serial {}", serial.toString(16));
				return;
			}
		}
		throw changedConcurrently(serial);
	}

	private static RevocationRefusedException changedConcurrently(BigInteger serial) {
		return new RevocationRefusedException(RevocationRefusedException.Kind.CHANGED_CONCURRENTLY, "the status of "
				+ serial.toString(16) + " kept changing while this change was decided; nothing was changed");
	}

	private RevocationRegistry.CertificateStatus known(String issuer, BigInteger serial) {
		return this.registry.status(issuer, serial)
			.orElseThrow(() -> new RevocationRefusedException(RevocationRefusedException.Kind.UNKNOWN_CERTIFICATE,
					"no certificate with serial " + serial.toString(16) + " was issued by this CA"));
	}

}
