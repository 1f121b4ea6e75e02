package org.certflow.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the RA node needs from the signer for its own HTTPS certificate, and nothing more:
 * a CSR and a host name in, a chain out. The composition root ({@code EmbeddedSigner})
 * implements it with the signer's issuing use case, so no class of the RA names the
 * signer.
 */
@FunctionalInterface
public interface ServerCertificateIssuer {

	/**
	 * @param csrDer the DER PKCS#10 request for the server's key
	 * @param hostName the host name to certify
	 * @return the chain, leaf first, root last
	 */
	List<X509Certificate> issue(byte[] csrDer, String hostName);

}
