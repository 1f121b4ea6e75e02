package org.certflow.revocation;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

import org.certflow.billing.RecordBilling;
import org.certflow.ca.CertificateStatusRules;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.RevocationRefusedException;
import org.certflow.ca.RevocationRegistry;
import org.certflow.ca.RevocationRegistry.CertificateStatus;
import org.certflow.request.RequestException;
import org.certflow.request.RequestException.Kind;
import org.certflow.request.RequestIssuance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * In-port: an RA admin revokes, suspends (certificateHold) or unsuspends a certificate.
 * The CA's status rules decide which changes are allowed and the registry stores them; no
 * CA key is needed here. The stored change marks the certificate due, so the signer
 * publishes OCSP responses and a CRL that show it within about a second. The request of a
 * revoked certificate is marked REVOKED.
 */
@Service
public class RevokeCertificate {

	private static final Logger log = LoggerFactory.getLogger(RevokeCertificate.class);

	// Hex in either case, with or without colons between octets: our API writes
	// lowercase
	// without colons, `openssl x509 -serial` upper case, browsers and other tools
	// "0A:1B:...".
	// At most 20 octets (RFC 5280 4.1.2.2); a leading zero octet is allowed.
	private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{1,42}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){0,20}");

	private final CertificateStatusRules rules;

	private final RevocationRegistry registry;

	private final CaPublication publication;

	private final RequestIssuance issuance;

	private final RecordBilling billing;

	private final Clock clock;

	RevokeCertificate(RevocationRegistry registry, CaPublication publication, RequestIssuance issuance,
			RecordBilling billing, Clock clock) {
		this.rules = new CertificateStatusRules(registry, clock);
		this.registry = registry;
		this.publication = publication;
		this.issuance = issuance;
		this.billing = billing;
		this.clock = clock;
	}

	/**
	 * Revokes a certificate, or puts it on hold when the reason is certificateHold.
	 * @param serialText the serial in hex, either case, with or without colons
	 * @param reasonName an RFC 5280 CRLReason name such as keyCompromise
	 * @param by the RA admin
	 * @return the certificate's status afterwards
	 */
	public Status revoke(String serialText, String reasonName, String by) {
		BigInteger serial = serial(serialText);
		String serialHex = serial.toString(16);
		RevocationReason reason;
		try {
			reason = RevocationReason.parse(reasonName);
		}
		catch (IllegalArgumentException ex) {
			throw new RequestException(Kind.INVALID, "reason: " + ex.getMessage());
		}
		try {
			if (reason == RevocationReason.CERTIFICATE_HOLD) {
				this.rules.suspend(this.publication.issuerDn(), serial);
			}
			else {
				this.rules.revoke(this.publication.issuerDn(), serial, reason);
			}
		}
		catch (RevocationRefusedException ex) {
			throw refused(ex);
		}
		this.publication.forget(serial);
		log.info("Certificate {} {} by {}", serialHex, reason.rfcName(), by);
		if (reason != RevocationReason.CERTIFICATE_HOLD) {
			this.issuance.revoked(serialHex, reason.rfcName(), by, this.clock.instant());
			this.billing.revocation(serialHex, reason.rfcName());
		}
		return status(serialHex);
	}

	/**
	 * Takes a certificate off hold.
	 * @param serialText the serial in hex, either case, with or without colons
	 * @param by the RA admin
	 * @return the certificate's status afterwards
	 */
	public Status unsuspend(String serialText, String by) {
		BigInteger serial = serial(serialText);
		String serialHex = serial.toString(16);
		try {
			this.rules.unsuspend(this.publication.issuerDn(), serial);
		}
		catch (RevocationRefusedException ex) {
			throw refused(ex);
		}
		this.publication.forget(serial);
		log.info("Certificate {} taken off hold by {}", serialHex, by);
		return status(serialHex);
	}

	/**
	 * @param serialText the serial in hex, either case, with or without colons
	 * @return the certificate's status
	 */
	public Status status(String serialText) {
		BigInteger serial = serial(serialText);
		String serialHex = serial.toString(16);
		CertificateStatus status = this.registry.status(this.publication.issuerDn(), serial)
			.orElseThrow(() -> new RequestException(Kind.NOT_FOUND,
					"This CA issued no certificate with serial " + serialHex + "."));
		String state = !status.revoked() ? "GOOD"
				: (status.reason() == RevocationReason.CERTIFICATE_HOLD) ? "ON_HOLD" : "REVOKED";
		return new Status(serialHex, state, (status.reason() != null) ? status.reason().rfcName() : null,
				status.revokedAt(), status.notAfter());
	}

	private static BigInteger serial(String serialText) {
		BigInteger serial = (serialText != null && SERIAL.matcher(serialText).matches())
				? new BigInteger(serialText.replace(":", ""), 16) : null;
		if (serial == null || serial.bitLength() > 160) {
			throw new RequestException(Kind.INVALID,
					"The serial must be the certificate's serial number in hex (at most 20 octets), for example "
							+ "4f1ca2 or 4F:1C:A2 as `openssl x509 -noout -serial` prints it.");
		}
		return serial;
	}

	private static RequestException refused(RevocationRefusedException ex) {
		Kind kind = switch (ex.kind()) {
			case UNKNOWN_CERTIFICATE -> Kind.NOT_FOUND;
			case ALREADY_REVOKED, NOT_ON_HOLD, CHANGED_CONCURRENTLY -> Kind.CONFLICT;
			case REASON_NOT_ALLOWED -> Kind.INVALID;
		};
		return new RequestException(kind, ex.getMessage(), ex);
	}

	/**
	 * A certificate's revocation status.
	 *
	 * @param serial lowercase hex
	 * @param status GOOD, ON_HOLD or REVOKED
	 * @param reason the RFC 5280 reason name, when revoked or on hold
	 * @param revokedAt when
	 * @param notAfter end of validity
	 */
	public record Status(String serial, String status, String reason, Instant revokedAt, Instant notAfter) {
	}

}
