package org.certflow.issuance;

import java.math.BigInteger;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;
import org.certflow.ca.IssuanceJournal;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.RevocationRegistry;
import org.certflow.ca.RevocationRegistry.CertificateStatus;
import org.certflow.request.RequestIssuance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port of the RA: when the signing step ends, records on the request the certificate
 * the signer stored in the CA's journal. The signer sends nothing back through the
 * engine; the journal is the one record of what was signed. A step that ended without a
 * certificate (refused, cancelled) changes nothing.
 */
@Service
public class RecordIssuedCertificate {

	private static final Logger log = LoggerFactory.getLogger(RecordIssuedCertificate.class);

	private final IssuanceJournal journal;

	private final RevocationRegistry registry;

	private final RequestIssuance issuance;

	RecordIssuedCertificate(IssuanceJournal journal, RevocationRegistry registry, RequestIssuance issuance) {
		this.journal = journal;
		this.registry = registry;
		this.issuance = issuance;
	}

	/**
	 * @param requestId the request whose signing step ended
	 * @return the serial recorded, lowercase hex, when a certificate was issued
	 */
	@Transactional
	public Optional<String> record(String requestId) {
		Optional<X509CertificateHolder> issued = this.journal.findIssuedByRequestId(requestId)
			.map(RecordIssuedCertificate::parse);
		if (issued.isEmpty()) {
			return Optional.empty();
		}
		X509CertificateHolder certificate = issued.get();
		BigInteger serial = certificate.getSerialNumber();
		this.issuance.issued(requestId, serial.toString(16));
		log.info("Request {} issued as serial {}", requestId, serial.toString(16));
		// Revoked before this step ran (an RA admin acting on the serial at once): the
		// request learns it here, and activation checks again.
		Optional<CertificateStatus> status = this.registry.status(issuerDn(certificate), serial);
		if (status.filter((s) -> s.revoked() && s.reason() != RevocationReason.CERTIFICATE_HOLD).isPresent()) {
			this.issuance.certificateRevoked(requestId);
		}
		return Optional.of(serial.toString(16));
	}

	private static String issuerDn(X509CertificateHolder certificate) {
		try {
			return new javax.security.auth.x500.X500Principal(certificate.getIssuer().getEncoded()).getName();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("The journal holds a certificate whose issuer cannot be encoded", ex);
		}
	}

	private static X509CertificateHolder parse(byte[] der) {
		try {
			return new X509CertificateHolder(der);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("The journal holds a certificate that cannot be read", ex);
		}
	}

}
