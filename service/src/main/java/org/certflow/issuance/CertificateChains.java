package org.certflow.issuance;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.certflow.ca.IssuanceJournal;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.RevocationReason;

import org.springframework.stereotype.Service;

/**
 * Query: issued certificates with their chain, in the PEM form applicants and relying
 * parties get.
 */
@Service
public class CertificateChains {

	private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64,
			"\n".getBytes(StandardCharsets.US_ASCII));

	private final IssuanceJournal journal;

	private final RevocableCertificateAuthority ca;

	CertificateChains(IssuanceJournal journal, RevocableCertificateAuthority ca) {
		this.journal = journal;
		this.ca = ca;
	}

	/**
	 * The chain of the certificate issued for a request.
	 * @param requestId the request
	 * @return PEM blocks, leaf first, root last
	 */
	public String chainPem(String requestId) {
		byte[] leaf = this.journal.findIssuedByRequestId(requestId)
			.orElseThrow(() -> new IllegalStateException("Request " + requestId + " has no certificate"));
		List<byte[]> ders = new ArrayList<>();
		ders.add(leaf);
		for (X509Certificate certificate : this.ca.caChain()) {
			ders.add(encoded(certificate));
		}
		return pem(ders);
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
			.flatMap(this.ca::status)
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
		return pem(this.ca.caChain().stream().map(CertificateChains::encoded).toList());
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

	private static byte[] encoded(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException("CA certificate cannot be encoded", ex);
		}
	}

}
