package org.certflow.issuance;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.certflow.ca.CertificateAuthority;
import org.certflow.ca.IssuanceJournal;

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

	private final CertificateAuthority ca;

	CertificateChains(IssuanceJournal journal, CertificateAuthority ca) {
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
	 * The CA chain relying parties need.
	 * @return PEM blocks, issuing CA first, root last
	 */
	public String caChainPem() {
		return pem(this.ca.caChain().stream().map(CertificateChains::encoded).toList());
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
