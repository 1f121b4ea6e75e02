package org.certflow.request;

import java.util.List;

import org.certflow.revocation.RevokeCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revokes certificates signed for requests that were cancelled. A cancellation revokes
 * the certificate it finds in the CA's journal, but a signer that read the request as
 * approved a moment before the cancellation committed may store its certificate just
 * after: its signing task is gone with the process, so nothing else would ever look at
 * it. Every node sweeps for such certificates; two nodes revoking the same one at once
 * leave one revocation (the status rules compare and set).
 */
@Component
public class CancelledRequestCertificates {

	private static final Logger log = LoggerFactory.getLogger(CancelledRequestCertificates.class);

	private static final String LEFTOVERS = "select c.serial_hex, c.request_id from issued_certificate c "
			+ "join certificate_request r on r.request_id = c.request_id "
			+ "where r.status = 'CANCELLED' and c.revocation_reason is null";

	private final JdbcTemplate jdbc;

	private final RevokeCertificate revokeCertificate;

	private final RequestEvents events;

	private final TransactionTemplate transactions;

	CancelledRequestCertificates(JdbcTemplate jdbc, RevokeCertificate revokeCertificate, RequestEvents events,
			TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.revokeCertificate = revokeCertificate;
		this.events = events;
		this.transactions = transactions;
	}

	@Scheduled(initialDelayString = "${certflow.cancelled-sweep-interval:PT1M}",
			fixedDelayString = "${certflow.cancelled-sweep-interval:PT1M}")
	void scheduled() {
		try {
			revokeLeftovers();
		}
		catch (RuntimeException ex) {
			// The next run tries again.
			log.warn("Revoking certificates of cancelled requests failed: {}", ex.toString());
		}
	}

	/**
	 * @return how many certificates were revoked
	 */
	public int revokeLeftovers() {
		List<String[]> leftovers = this.jdbc.query(LEFTOVERS,
				(rs, row) -> new String[] { rs.getString(1), rs.getString(2) });
		int revoked = 0;
		for (String[] leftover : leftovers) {
			String serial = leftover[0];
			String requestId = leftover[1];
			try {
				this.transactions.executeWithoutResult((status) -> {
					this.revokeCertificate.revoke(serial, CancelRequest.REVOCATION_REASON, RequestEvents.SYSTEM);
					this.events.record(requestId, RequestEventKind.REVOKED, RequestEvents.SYSTEM, "serial " + serial
							+ ", " + CancelRequest.REVOCATION_REASON + ": signed after the request was cancelled");
				});
				revoked++;
				log.warn("Certificate {} was signed after request {} was cancelled; revoked", serial, requestId);
			}
			catch (RequestException ex) {
				// Revoked meanwhile by another node or an RA admin.
				log.info("Certificate {} of cancelled request {} not revoked here: {}", serial, requestId,
						ex.getMessage());
			}
		}
		return revoked;
	}

}
