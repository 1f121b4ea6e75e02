package org.certflow.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage port of the CA (DESIGN.md section 5). The CA records intent before it signs: a
 * serial is reserved together with a hash of the to-be-signed data, then the signed
 * certificate is recorded against that reservation. A reservation whose certificate is
 * never recorded is burned, never reused. Implementations must make {@link #reserve} and
 * {@link #recordIssued} atomic and enforce uniqueness of (issuer, serial) and of the
 * request id among issued certificates.
 */
public interface IssuanceJournal {

	/**
	 * The certificate already issued for a request, if any.
	 * @param requestId the request id
	 * @return the DER of the issued certificate
	 */
	Optional<byte[]> findIssuedByRequestId(String requestId);

	/**
	 * Reserves a serial before signing, and in the same transaction appends the audit
	 * event that says what is about to be signed (request, serial, profile, TBS hash and
	 * the linted TBS itself).
	 * @param reservation what is about to be signed
	 * @return {@code false} when the serial is already taken for this issuer (the CA
	 * draws again)
	 */
	boolean reserve(SerialReservation reservation);

	/**
	 * Reserves several serials in one transaction, each with its audit event, as
	 * {@link #reserve} does for one: all or none.
	 * @param reservations what is about to be signed
	 * @return {@code false} when any serial is already taken for its issuer; then none
	 * was reserved (this default, which cannot undo, leaves those it reserved unused, for
	 * the sweep of abandoned reservations to burn)
	 */
	default boolean reserveAll(List<SerialReservation> reservations) {
		for (SerialReservation reservation : reservations) {
			if (!reserve(reservation)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Records several signed certificates in one transaction, each with its audit event,
	 * as {@link #recordIssued} does for one: all or none.
	 * @param issued the certificates and the reservations they fulfil
	 */
	default void recordAllIssued(List<IssuedRecord> issued) {
		issued.forEach(this::recordIssued);
	}

	/**
	 * Records the signed certificate for a reservation made earlier, and in the same
	 * transaction appends the audit event with its SHA-256 fingerprint.
	 * @param issued the certificate and the reservation it fulfils
	 */
	void recordIssued(IssuedRecord issued);

	/**
	 * Marks a reservation as never signed, so its serial is never used; audited like the
	 * reservation.
	 * @param issuer the issuer DN (RFC 2253)
	 * @param serial the reserved serial
	 * @param why a short reason for the audit trail
	 */
	void burn(String issuer, BigInteger serial, String why);

	/**
	 * Who holds a certificate for this public key, if anyone.
	 * @param spkiSha256 SHA-256 of the DER SubjectPublicKeyInfo
	 * @return the subscriber (validated mailbox) that has it certified
	 */
	Optional<String> subscriberOfPublicKey(byte[] spkiSha256);

	/**
	 * A serial reserved before signing.
	 *
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial number
	 * @param requestId the request the certificate is for
	 * @param tbsSha256 SHA-256 of the DER TBSCertificate about to be signed
	 * @param reservedAt when
	 * @param profile the issuance profile the TBS was built from
	 * @param tbsDer the linted TBSCertificate, kept in the audit trail
	 */
	record SerialReservation(String issuer, BigInteger serial, String requestId, byte[] tbsSha256, Instant reservedAt,
			String profile, byte[] tbsDer) {
	}

	/**
	 * A signed certificate.
	 *
	 * @param issuer issuer DN (RFC 2253)
	 * @param serial the serial number
	 * @param requestId the request the certificate is for
	 * @param subscriber the validated mailbox
	 * @param spkiSha256 SHA-256 of the certified SubjectPublicKeyInfo
	 * @param der the certificate
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 */
	record IssuedRecord(String issuer, BigInteger serial, String requestId, String subscriber, byte[] spkiSha256,
			byte[] der, Instant notBefore, Instant notAfter) {
	}

}
