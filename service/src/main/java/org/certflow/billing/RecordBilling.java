package org.certflow.billing;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: writes the billing events of issuances and revocations, when the billing
 * module is on. An issuance is written in the transaction that ends the signing step (the
 * BPMN step {@code Task_RecordBilling}), so a certificate is billed if and only if its
 * issuance is recorded. Each event has one key, issuer, serial and kind, written once
 * however often a step runs, and sent with the event so that the billing system can tell
 * a repeated delivery from a new event.
 */
@Service
public class RecordBilling {

	private static final Logger log = LoggerFactory.getLogger(RecordBilling.class);

	private final BillingLedger ledger;

	private final BillingSettings settings;

	private final Clock clock;

	RecordBilling(BillingLedger ledger, BillingSettings settings, Clock clock) {
		this.ledger = ledger;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Bills the certificate issued for a request. Nothing when the module is off or the
	 * request has no certificate (refused, cancelled).
	 * @param requestId the request whose signing step ended
	 */
	@Transactional
	public void issuance(String requestId) {
		if (!this.settings.enabled()) {
			return;
		}
		this.ledger.billableByRequest(requestId).ifPresent((billable) -> {
			if (this.ledger.record(key(billable, BillingEvent.ISSUANCE), BillingEvent.ISSUANCE, billable.requestId(),
					billable.certificateClass(), billable.billingCode(), billable.issuerDn(), billable.serialHex(),
					null, billable.issuedAt())) {
				log.info("Billing event ISSUANCE written for request {}, serial {}", requestId, billable.serialHex());
			}
		});
	}

	/**
	 * Bills a revocation (not a hold).
	 * @param serialHex the certificate's serial, lowercase hex
	 * @param reason the RFC 5280 reason name
	 */
	@Transactional
	public void revocation(String serialHex, String reason) {
		if (!this.settings.enabled()) {
			return;
		}
		this.ledger.billableBySerial(serialHex).ifPresent((billable) -> {
			if (this.ledger.record(key(billable, BillingEvent.REVOCATION), BillingEvent.REVOCATION,
					billable.requestId(), billable.certificateClass(), billable.billingCode(), billable.issuerDn(),
					billable.serialHex(), reason, this.clock.instant())) {
				log.info("Billing event REVOCATION written for serial {}", serialHex);
			}
		});
	}

	/**
	 * The idempotency key: issuer and serial name the certificate (RFC 5280 makes the
	 * pair unique), the kind tells its two billable events apart.
	 */
	static String key(BillingLedger.Billable billable, String kind) {
		return billable.issuerDn() + "|" + billable.serialHex() + "|" + kind;
	}

}
