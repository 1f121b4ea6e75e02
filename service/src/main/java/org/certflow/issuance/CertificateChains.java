package org.certflow.issuance;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.certflow.ca.IssuanceJournal;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.RevocationRegistry;
import org.certflow.revocation.CaPublication;

import org.springframework.stereotype.Service;

/**
 * Query: issued certificates with their chain, in the PEM form applicants and relying
 * parties get. The CA certificates come as the signer published them, so no CA key store
 * is needed here.
 */
@Service
public class CertificateChains {

	private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64,
			"\n".getBytes(StandardCharsets.US_ASCII));

	private final IssuanceJournal journal;

	private final RevocationRegistry registry;

	private final CaPublication publication;

	CertificateChains(IssuanceJournal journal, RevocationRegistry registry, CaPublication publication) {
		this.journal = journal;
		this.registry = registry;
		this.publication = publication;
	}

	/**
	 * The chain of the certificate issued for a request.
	 * @param requestId the request
	 * @return PEM blocks, leaf first, root last
	 * @throws org.certflow.revocation.CaMaterialNotPublishedException before the signer
	 * published the CA certificates
	 */
	public String chainPem(String requestId) {
		byte[] leaf = this.journal.findIssuedByRequestId(requestId)
			.orElseThrow(() -> new IllegalStateException("Request " + requestId + " has no certificate"));
		return pem(List.of(leaf)) + this.publication.chainPem();
	}

	/**
	 * Where the certificate of a request stands with the CA now: the CA's registry is the
	 * authority on revocation, whatever the request's own status says (a certificate can
	 * be revoked before its request has recorded the serial).
	 * @param requestId the request
	 * @return the certificate's standing; empty when no certificate was issued
	 */
	public Optional<Standing> standing(String requestId) {
		return this.journal.findIssuedByRequestId(requestId)
			.map((der) -> serialOf(der))
			.flatMap((serial) -> this.registry.status(this.publication.issuerDn(), serial))
			.map((status) -> !status.revoked() ? Standing.GOOD
					: (status.reason() == RevocationReason.CERTIFICATE_HOLD) ? Standing.ON_HOLD : Standing.REVOKED);
	}

	private static BigInteger serialOf(byte[] der) {
		try {
			return ((X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der))).getSerialNumber();
		}
		catch (CertificateException ex) {
			throw new IllegalStateException("The journal holds a certificate that cannot be read", ex);
		}
	}

	/**
	 * The CA chain relying parties need.
	 * @return PEM blocks, issuing CA first, root last
	 */
	public String caChainPem() {
		return this.publication.chainPem();
	}

	/** Where an issued certificate stands. */
	public enum Standing {

		/** Valid as far as the CA knows (it may still have expired). */
		GOOD,
		/** Suspended (certificateHold): may come back. */
		ON_HOLD,
		/** Revoked for good. */
		REVOKED

	}

	private static String pem(List<byte[]> ders) {
		StringBuilder pem = new StringBuilder();
		for (byte[] der : ders) {
			pem.append("-----BEGIN CERTIFICATE-----\n")
				.append(PEM_BASE64.encodeToString(der))
				.append("\n-----END CERTIFICATE-----\n");
		}
		return pem.toString();
	}

}
