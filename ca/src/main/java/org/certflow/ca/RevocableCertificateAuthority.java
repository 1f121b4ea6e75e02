package org.certflow.ca;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The CA with revocation: CRL and OCSP for everything it issued. All methods are
 * thread-safe. A change (revoke, suspend, unsuspend) takes effect at once: the next CRL
 * and OCSP response show it.
 */
public interface RevocableCertificateAuthority extends CertificateAuthority {

	/**
	 * Revokes a certificate for good. A certificate on hold may be revoked with a final
	 * reason (the hold's date is kept); an already revoked certificate may only be moved
	 * to keyCompromise.
	 * @param serial the serial
	 * @param reason any RFC 5280 reason except certificateHold (use {@link #suspend}) and
	 * the CA reasons cACompromise/aACompromise
	 * @throws RevocationRefusedException when the transition is not allowed
	 */
	void revoke(BigInteger serial, RevocationReason reason);

	/**
	 * Puts a certificate on hold (revoked with reason certificateHold).
	 * @param serial the serial
	 * @throws RevocationRefusedException when unknown or already revoked
	 */
	void suspend(BigInteger serial);

	/**
	 * Takes a certificate off hold; it is good again.
	 * @param serial the serial
	 * @throws RevocationRefusedException when unknown or not on hold
	 */
	void unsuspend(BigInteger serial);

	/**
	 * The stored status of a certificate.
	 * @param serial the serial
	 * @return empty when this CA issued no certificate with the serial
	 */
	Optional<RevocationRegistry.CertificateStatus> status(BigInteger serial);

	/**
	 * The current full CRL of the issuing CA (DER), for {@code GET /ca/crl} with content
	 * type {@code application/pkix-crl}. Regenerated after every change and when half its
	 * validity has passed.
	 * @return the CRL
	 */
	byte[] currentCrlDer();

	/**
	 * The current full CRL of the root CA (DER), so relying parties can check the issuing
	 * CA certificate too; same content type as {@link #currentCrlDer()}. Signed by the
	 * root key, with its own CRL numbers (the registry's sequence for the root's subject)
	 * and the same validity as the issuing CA's CRL, regenerated when half of it has
	 * passed. Its revoked list is always empty: no CA certificate can be revoked through
	 * this API, because revoking the issuing CA is an offline ceremony with the root key.
	 * <p>
	 * When the root key is not in the key store (an imported PKCS#12, a PKCS#11 token: a
	 * root is normally offline), this is the CRL an operator placed at
	 * {@code <dataDir>/ca/root.crl} (DER), after its signature has been checked against
	 * the root certificate.
	 * @return the CRL
	 * @throws IllegalStateException when the root key is offline and there is no
	 * {@code root.crl}, or it is not a CRL signed by the root
	 */
	byte[] currentRootCrlDer();

	/**
	 * Issues fresh CRLs (the issuing CA's and, when the root key is at hand, the root's)
	 * with new CRL numbers where the current one is older than half its validity; call it
	 * from a scheduler so the CRLs never go stale even without requests.
	 */
	void refreshCrl();

	/**
	 * Answers an RFC 6960 OCSP request (DER, from {@code POST /ocsp} or the base64 path
	 * of {@code GET /ocsp/...}). Never throws for bad input: malformed requests get a
	 * malformedRequest response. Content type {@code application/ocsp-response}.
	 * @param derRequest the request
	 * @return the DER OCSP response
	 */
	byte[] ocspResponse(byte[] derRequest);

	/**
	 * The CA chain as PEM (issuing CA first, then root), for {@code GET /ca/chain.pem}.
	 * @return PEM text
	 */
	String caChainPem();

	/**
	 * Drops cached CRL and OCSP responses, for deployments where another node may have
	 * changed a status in the shared registry.
	 */
	void invalidateCaches();

}
