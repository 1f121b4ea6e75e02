package org.certflow.ca;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Signed OCSP responses for one certificate's stored status, made ahead of any request
 * (RFC 5019 section 2.2.1): one whose CertID hashes the issuer with SHA-1, one with
 * SHA-256, so a request of either kind is answered with a response that names the CertID
 * it asked about. Neither carries a nonce.
 *
 * @param serial the certificate's serial
 * @param sha1Response the DER OCSPResponse for a SHA-1 CertID
 * @param sha256Response the DER OCSPResponse for a SHA-256 CertID
 * @param thisUpdate thisUpdate (and producedAt) of both
 * @param nextUpdate nextUpdate of both
 */
public record PreProducedOcsp(BigInteger serial, byte[] sha1Response, byte[] sha256Response, Instant thisUpdate,
		Instant nextUpdate) {

	@Override
	public byte[] sha1Response() {
		return this.sha1Response.clone();
	}

	@Override
	public byte[] sha256Response() {
		return this.sha256Response.clone();
	}

}
