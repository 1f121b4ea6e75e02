package org.certflow.ca;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The CA with revocation: it signs CRLs and OCSP responses for everything it issued,
 * ahead of time, for others to store and serve. All methods are thread-safe. A change
 * (revoke, suspend, unsuspend) is recorded at once (through
 * {@link CertificateStatusRules}); the next CRL and OCSP responses produced show it.
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
	 * The issuer DN (RFC 2253) under which the registry keeps this CA's certificates.
	 * @return the issuing CA's subject
	 */
	String issuerDn();

	/**
	 * Signs OCSP responses for the stored status of one certificate, ahead of any
	 * request: one for a SHA-1 CertID and one for a SHA-256 CertID, without nonce, valid
	 * for the configured OCSP validity. Nodes without the key serve them through
	 * {@link OcspServer}.
	 * @param serial the serial
	 * @return the responses, empty when this CA issued no certificate with the serial
	 */
	Optional<PreProducedOcsp> produceOcsp(BigInteger serial);

	/**
	 * Signs a new full CRL of the issuing CA with the next CRL number, from the status
	 * stored now.
	 * @return the CRL
	 */
	SignedCrl produceCrl();

	/**
	 * A new full CRL of the root CA (ARL), so relying parties can check the issuing CA
	 * certificate too. Signed by the root key, with its own CRL numbers (the registry's
	 * sequence for the root's subject) and the same validity as the issuing CA's CRL. Its
	 * revoked list is always empty: no CA certificate can be revoked through this API,
	 * because revoking the issuing CA is an offline ceremony with the root key.
	 * <p>
	 * When the root key is not in the key store (an imported PKCS#12, a PKCS#11 token: a
	 * root is normally offline), this is the CRL an operator placed at
	 * {@code <dataDir>/ca/root.crl} (DER), after its signature has been checked against
	 * the root certificate.
	 * @return the CRL
	 * @throws IllegalStateException when the root key is offline and there is no
	 * {@code root.crl}, or it is not a CRL signed by the root
	 */
	SignedCrl produceRootCrl();

	/**
	 * The CA chain as PEM (issuing CA first, then root), for {@code GET /ca/chain.pem}.
	 * @return PEM text
	 */
	String caChainPem();

}
