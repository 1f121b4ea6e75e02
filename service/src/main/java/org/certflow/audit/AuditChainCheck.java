package org.certflow.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Verifies the audit chain once the application is up. A broken chain is a warning, not a
 * reason to refuse start-up: the CA must keep revoking and publishing status while the
 * tampering is investigated. The walk runs in its own thread, so that a chain of millions
 * of events does not hold up readiness.
 */
@Component
public class AuditChainCheck {

	private static final Logger log = LoggerFactory.getLogger(AuditChainCheck.class);

	private final AuditTrail trail;

	AuditChainCheck(AuditTrail trail) {
		this.trail = trail;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		Thread check = new Thread(this::verifyAndReport, "audit-chain-check");
		check.setDaemon(true);
		check.start();
	}

	/**
	 * Verifies the chain and logs the outcome: a warning when it is broken; otherwise the
	 * head's hash, so that logs kept elsewhere anchor the chain against a rewrite of the
	 * whole table.
	 * @return the outcome
	 */
	public AuditTrail.Verification verifyAndReport() {
		try {
			AuditTrail.Verification verification = this.trail.verify();
			if (verification.valid()) {
				log.info("Audit chain verified: {} events, head event {} with hash {}", verification.events(),
						verification.headEventId(), verification.headHash());
			}
			else {
				log.warn("Audit chain is BROKEN at event {} ({} events read, head records event {}): an audit event "
						+ "was changed, removed or inserted outside CertFlow. Compare audit_event with a backup "
						+ "from before that event.", verification.firstBrokenEvent(), verification.events(),
						verification.headEventId());
			}
			return verification;
		}
		catch (RuntimeException ex) {
			log.warn("Audit chain could not be verified: {}", ex.toString());
			throw ex;
		}
	}

}
