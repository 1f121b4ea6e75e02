package org.certflow.revocation;

import java.security.cert.CertificateEncodingException;

import org.certflow.ca.RevocableCertificateAuthority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * What relying parties fetch: the CA chain, the issuing CA certificate (AIA caIssuers),
 * the current CRL and OCSP responses. The CRL is also regenerated on a schedule, so that
 * its nextUpdate never passes while nothing changes.
 */
@Service
public class CaPublication {

	private static final Logger log = LoggerFactory.getLogger(CaPublication.class);

	private final RevocableCertificateAuthority ca;

	CaPublication(RevocableCertificateAuthority ca) {
		this.ca = ca;
	}

	public byte[] crlDer() {
		return this.ca.currentCrlDer();
	}

	/**
	 * The root's CRL (ARL). It is signed online when the root key is in the CA's PKCS#12
	 * and otherwise read from the file an operator placed in the CA folder.
	 * @return the DER CRL
	 * @throws IllegalStateException when the root key is offline and no root CRL was
	 * placed
	 */
	public byte[] rootCrlDer() {
		return this.ca.currentRootCrlDer();
	}

	public String chainPem() {
		return this.ca.caChainPem();
	}

	public byte[] issuingCaDer() {
		try {
			return this.ca.caChain().get(0).getEncoded();
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException("The issuing CA certificate cannot be encoded", ex);
		}
	}

	/**
	 * Answers an OCSP request. Malformed requests get an OCSP error response, never an
	 * exception.
	 * @param derRequest the DER OCSPRequest
	 * @return the DER OCSPResponse
	 */
	public byte[] ocsp(byte[] derRequest) {
		return this.ca.ocspResponse(derRequest);
	}

	@Scheduled(initialDelayString = "${certflow.ca.crl-refresh}", fixedDelayString = "${certflow.ca.crl-refresh}")
	void refreshCrl() {
		this.ca.refreshCrl();
		log.info("CRL regenerated on schedule");
	}

}
