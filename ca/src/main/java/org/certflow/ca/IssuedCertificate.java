package org.certflow.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the CA issued.
 *
 * @param requestId the request it was issued for
 * @param certificate the end-entity certificate
 * @param chain leaf first, root last (the leaf is {@code chain.get(0)})
 */
public record IssuedCertificate(String requestId, X509Certificate certificate, List<X509Certificate> chain) {

	public IssuedCertificate {
		chain = List.copyOf(chain);
	}

	public BigInteger serial() {
		return this.certificate.getSerialNumber();
	}

	/**
	 * The serial as used in URLs and the API: lowercase hex without colons or leading
	 * zeros.
	 * @return the serial in hex
	 */
	public String serialHex() {
		return serial().toString(16);
	}

}
