package org.certflow.ca;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A CRL as the signer hands it over for publication: RA nodes store and serve the bytes
 * and need nothing else to decide when it is due again.
 *
 * @param der the CRL (DER), content type {@code application/pkix-crl}
 * @param number its CRL number
 * @param thisUpdate its thisUpdate
 * @param nextUpdate its nextUpdate
 */
public record SignedCrl(byte[] der, BigInteger number, Instant thisUpdate, Instant nextUpdate) {

	@Override
	public byte[] der() {
		return this.der.clone();
	}

}
