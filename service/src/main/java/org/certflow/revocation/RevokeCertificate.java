package org.certflow.revocation;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.RevocationRefusedException;
import org.certflow.ca.RevocationRegistry.CertificateStatus;
import org.certflow.request.RequestException;
import org.certflow.request.RequestException.Kind;
import org.certflow.request.RequestIssuance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * In-port: an RA admin revokes, suspends (certificateHold) or unsuspends a certificate.
 * The CA decides which changes are allowed, stores them and regenerates its CRL; the
 * request of a revoked certificate is marked REVOKED.
 */
@Service
public class RevokeCertificate {

	private static final Logger log = LoggerFactory.getLogger(RevokeCertificate.class);

	// Lowercase hex without colons, at most 20 octets, as the API and our URLs write
	// serials.
	private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,40}");

	private final RevocableCertificateAuthority ca;

	private final RequestIssuance issuance;

	private final Clock clock;

	RevokeCertificate(RevocableCertificateAuthority ca, RequestIssuance issuance, Clock clock) {
		this.ca = ca;
		this.issuance = issuance;
		this.clock = clock;
	}

	/**
	 * Revokes a certificate, or puts it on hold when the reason is certificateHold.
	 * @param serialHex the serial, lowercase hex
	 * @param reasonName an RFC 5280 CRLReason name such as keyCompromise
	 * @param by the RA admin
	 * @return the certificate's status afterwards
	 */
	public Status revoke(String serialHex, String reasonName, String by) {
		BigInteger serial = serial(serialHex);
		RevocationReason reason;
		try {
			reason = RevocationReason.parse(reasonName);
		}
		catch (IllegalArgumentException ex) {
			throw new RequestException(Kind.INVALID, "reason: " + ex.getMessage());
		}
		try {
			if (reason == RevocationReason.CERTIFICATE_HOLD) {
				this.ca.suspend(serial);
			}
			else {
				this.ca.revoke(serial, reason);
			}
		}
		catch (RevocationRefusedException ex) {
			throw refused(ex);
		}
		log.info("Certificate {} {} by {}", serialHex, reason.rfcName(), by);
		if (reason != RevocationReason.CERTIFICATE_HOLD) {
			this.issuance.revoked(serialHex, this.clock.instant());
		}
		return status(serialHex);
	}

	/**
	 * Takes a certificate off hold.
	 * @param serialHex the serial
	 * @param by the RA admin
	 * @return the certificate's status afterwards
	 */
	public Status unsuspend(String serialHex, String by) {
		try {
			this.ca.unsuspend(serial(serialHex));
		}
		catch (RevocationRefusedException ex) {
			throw refused(ex);
		}
		log.info("Certificate {} taken off hold by {}", serialHex, by);
		return status(serialHex);
	}

	/**
	 * @param serialHex the serial
	 * @return the certificate's status
	 */
	public Status status(String serialHex) {
		CertificateStatus status = this.ca.status(serial(serialHex))
			.orElseThrow(() -> new RequestException(Kind.NOT_FOUND,
					"This CA issued no certificate with serial " + serialHex + "."));
		String state = !status.revoked() ? "GOOD"
				: (status.reason() == RevocationReason.CERTIFICATE_HOLD) ? "ON_HOLD" : "REVOKED";
		return new Status(serialHex, state, (status.reason() != null) ? status.reason().rfcName() : null,
				status.revokedAt(), status.notAfter());
	}

	private static BigInteger serial(String serialHex) {
		if (serialHex == null || !SERIAL.matcher(serialHex).matches()) {
			throw new RequestException(Kind.INVALID,
					"The serial must be lowercase hex without colons (at most 40 digits), as in the certificate.");
		}
		return new BigInteger(serialHex, 16);
	}

	private static RequestException refused(RevocationRefusedException ex) {
		Kind kind = switch (ex.kind()) {
			case UNKNOWN_CERTIFICATE -> Kind.NOT_FOUND;
			case ALREADY_REVOKED, NOT_ON_HOLD -> Kind.CONFLICT;
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
