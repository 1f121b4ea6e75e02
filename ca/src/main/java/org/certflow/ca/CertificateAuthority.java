package org.certflow.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA's whole issuing API (DESIGN.md section 2): one call that turns a request into a
 * certificate. The CA never trusts its caller: it re-verifies proof of possession, key
 * policy and its own profile before it signs.
 */
public interface CertificateAuthority {

	/**
	 * Issues the certificate for one request. Exactly one certificate exists per request
	 * id: a repeated call for the same request returns the certificate already issued and
	 * signs nothing.
	 * @param request what to certify
	 * @return the certificate with its chain
	 * @throws IssuanceRefusedException when the request breaks key policy, the profile or
	 * a lint
	 */
	IssuedCertificate issue(IssuanceRequest request);

	/**
	 * Issues the certificates for several requests with the same guarantees as
	 * {@link #issue} for each, sharing the journal's commits: one commit reserves every
	 * serial with its audit event before any is signed, one records every certificate. A
	 * request that fails does not fail the others.
	 * @param requests what to certify, each request id at most once
	 * @return one outcome per request, in the order given
	 */
	List<IssuanceOutcome> issueAll(List<IssuanceRequest> requests);

	/**
	 * The CA chain relying parties need: issuing CA first, root last.
	 * @return the CA certificates
	 */
	List<X509Certificate> caChain();

}
