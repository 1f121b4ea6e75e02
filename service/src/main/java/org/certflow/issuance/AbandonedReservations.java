package org.certflow.issuance;

import java.time.Clock;
import java.time.Duration;

import org.certflow.CertFlowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A serial reserved by a signer that died before recording its certificate stays open
 * until someone burns it; this does, on start and every few minutes. Only reservations
 * older than twice the signer's lock duration are burned: by then the task's lock has
 * expired, so no signer on any node can still be signing with that serial.
 */
@Component
class AbandonedReservations {

	private static final Logger log = LoggerFactory.getLogger(AbandonedReservations.class);

	private final JdbcIssuanceJournal journal;

	private final Duration olderThan;

	private final Clock clock;

	AbandonedReservations(JdbcIssuanceJournal journal, CertFlowProperties properties, Clock clock) {
		this.journal = journal;
		this.olderThan = properties.signer().lockDuration().multipliedBy(2);
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT5M")
	void burn() {
		int burned = this.journal.burnAbandoned(this.olderThan, this.clock.instant());
		if (burned > 0) {
			log.warn("Burned {} serial reservations that never got a certificate (signer stopped while signing)",
					burned);
		}
	}

}
