package org.certflow.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage port for certificate status, next to {@link IssuanceJournal} (one adapter may
 * implement both). The CA decides which transitions are allowed (see
 * {@link RevocableCertificateAuthority}); the registry only stores them. Certificates are
 * those recorded through {@link IssuanceJournal#recordIssued}.
 */
public interface RevocationRegistry {

	/**
	 * The status of a certificate this CA issued.
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial
	 * @return empty when no certificate with this serial was issued (reserved or burned
	 * serials are not issued)
	 */
	Optional<CertificateStatus> status(String issuer, BigInteger serial);

	/**
	 * Marks an issued certificate revoked, or changes the reason/time of an existing
	 * revocation (certificateHold to a final reason), only if its stored reason is still
	 * the one the caller decided on: two nodes changing one certificate at once must not
	 * both succeed on what they read before the other wrote.
	 * @param issuer issuer DN
	 * @param serial the serial of an issued certificate
	 * @param reason the reason
	 * @param revokedAt the revocation date to publish
	 * @param expected the stored reason the decision was made on, {@code null} for a
	 * certificate that was not revoked
	 * @return {@code false} when the stored reason was no longer {@code expected};
	 * nothing was changed then
	 */
	boolean recordRevocation(String issuer, BigInteger serial, RevocationReason reason, Instant revokedAt,
			RevocationReason expected);

	/**
	 * Removes a revocation, which the CA only does for certificateHold (unsuspend), only
	 * if the certificate is still revoked with the expected reason.
	 * @param issuer issuer DN
	 * @param serial the serial
	 * @param expected the stored reason the decision was made on
	 * @return {@code false} when the stored reason was no longer {@code expected};
	 * nothing was changed then
	 */
	boolean clearRevocation(String issuer, BigInteger serial, RevocationReason expected);

	/**
	 * Every certificate of this issuer that is currently revoked or on hold, for the CRL.
	 * Implementations may leave out certificates that expired before
	 * {@code notAfterFrom}.
	 * @param issuer issuer DN
	 * @param notAfterFrom only certificates whose notAfter is at or after this instant
	 * are needed
	 * @return the entries
	 */
	List<RevokedEntry> revoked(String issuer, Instant notAfterFrom);

	/**
	 * The next CRL number for an issuer: strictly greater than every number returned
	 * before, across restarts.
	 * @param issuer issuer DN
	 * @return the number
	 */
	BigInteger nextCrlNumber(String issuer);

	/**
	 * Status of one issued certificate.
	 *
	 * @param serial the serial
	 * @param notAfter end of validity
	 * @param reason the revocation reason, or {@code null} when not revoked
	 * @param revokedAt when it was revoked, or {@code null}
	 */
	record CertificateStatus(BigInteger serial, Instant notAfter, RevocationReason reason, Instant revokedAt) {

		public boolean revoked() {
			return this.reason != null;
		}

	}

	/**
	 * A revoked certificate.
	 *
	 * @param serial the serial
	 * @param reason the reason
	 * @param revokedAt the revocation date
	 * @param notAfter end of the certificate's validity
	 */
	record RevokedEntry(BigInteger serial, RevocationReason reason, Instant revokedAt, Instant notAfter) {
	}

}
