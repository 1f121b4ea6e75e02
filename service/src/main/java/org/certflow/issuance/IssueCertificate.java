package org.certflow.issuance;

import java.math.BigInteger;

import org.certflow.ca.IssuanceRefusedException;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.RevocationReason;
import org.certflow.ca.SubjectData;
import org.certflow.request.CertificateClasses;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.RequestIssuance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: signs an approved request. The RA passes only the profile and validated
 * subject data; the CA re-checks the CSR and builds every extension itself. The CA's
 * journal commits on its own, so a certificate signed here survives a rollback of this
 * transaction and a retry returns it.
 */
@Service
public class IssueCertificate {

	private static final Logger log = LoggerFactory.getLogger(IssueCertificate.class);

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final RevocableCertificateAuthority ca;

	private final RequestIssuance issuance;

	IssueCertificate(CertificateRequests requests, CertificateClasses classes, RevocableCertificateAuthority ca,
			RequestIssuance issuance) {
		this.requests = requests;
		this.classes = classes;
		this.ca = ca;
		this.issuance = issuance;
	}

	/**
	 * Issues the certificate for a request.
	 * @param requestId the approved request
	 * @return the serial of the issued certificate, lowercase hex
	 * @throws IssuanceRefusedException when the CA refuses; the request cannot be issued
	 * as is
	 */
	@Transactional
	public String issue(String requestId) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		String profile = this.classes.findById(request.getCertificateClass()).orElseThrow().getIssuanceProfile();
		IssuedCertificate issued = this.ca.issue(new IssuanceRequest(requestId, request.getCsrDer(), profile,
				SubjectData.of(request.getFullName(), request.getEmail())));
		this.issuance.issued(requestId, issued.serialHex());
		log.info("Request {} issued as serial {}", requestId, issued.serialHex());
		// A revocation between the CA's record and this step found no request with the
		// serial to mark; the request learns it here (and activation checks again).
		if (this.ca.status(new BigInteger(issued.serialHex(), 16))
			.filter((status) -> status.revoked() && status.reason() != RevocationReason.CERTIFICATE_HOLD)
			.isPresent()) {
			this.issuance.certificateRevoked(requestId);
		}
		return issued.serialHex();
	}

}
