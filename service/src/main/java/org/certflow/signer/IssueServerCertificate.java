package org.certflow.signer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.certflow.ca.IssuanceProfile;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.SubjectData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * In-port of the signer for the embedded default's own HTTPS certificate: certifies the
 * key the RA node made, for its host name, with the {@code tls-server} profile. It is the
 * same issuance as a subscriber's (the CA re-checks the CSR, lints, reserves the serial
 * with an audit event, signs, records in the journal with a second one); only the
 * validated data differ: a host name the node's own configuration names instead of a
 * person an officer identified. It is reached only from the composition root
 * ({@code EmbeddedSigner}), never over the network.
 */
@Service
public class IssueServerCertificate {

	/** The profile the embedded signer adds for this (see EmbeddedSigner). */
	public static final String PROFILE = IssuanceProfile.tlsServerProfile().name();

	private static final Logger log = LoggerFactory.getLogger(IssueServerCertificate.class);

	private final RevocableCertificateAuthority ca;

	IssueServerCertificate(RevocableCertificateAuthority ca) {
		this.ca = ca;
	}

	/**
	 * @param csrDer the server's PKCS#10 request
	 * @param hostName the host name to certify
	 * @return the chain, leaf first, root last
	 * @throws IllegalStateException when the issuing CA may not certify TLS servers
	 */
	public List<X509Certificate> issue(byte[] csrDer, String hostName) {
		X509Certificate issuing = this.ca.caChain().get(0);
		try {
			// An issuing CA created before CertFlow issued its own HTTPS certificate
			// lists no serverAuth; clients that chain EKUs (OpenSSL) would refuse a
			// server certificate under it.
			List<String> ekus = issuing.getExtendedKeyUsage();
			if (ekus != null && !ekus.contains(IssuanceProfile.SERVER_AUTH)) {
				throw new IllegalStateException("the issuing CA " + issuing.getSubjectX500Principal()
						+ " was created without serverAuth and cannot certify CertFlow's HTTPS server; set "
						+ "certflow.https.enabled=false (or start with a new certflow.data-dir)");
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalStateException("cannot read the issuing CA's extended key usage", ex);
		}
		// One request id per key: a retry for the same CSR returns what was recorded, a
		// new key (renewal) gets a new certificate.
		String requestId = "tls-" + HexFormat.of().formatHex(sha256(csrDer)).substring(0, 32);
		IssuedCertificate issued = this.ca
			.issue(new IssuanceRequest(requestId, csrDer, PROFILE, SubjectData.host(hostName)));
		log.info("HTTPS certificate for {} issued as serial {} (request {})", hostName, issued.serialHex(), requestId);
		return issued.chain();
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

}
