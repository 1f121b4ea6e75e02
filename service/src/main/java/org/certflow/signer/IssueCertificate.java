package org.certflow.signer;

import java.util.ArrayList;
import java.util.List;

import org.certflow.ca.IssuanceRefusedException;
import org.certflow.ca.IssuanceOutcome;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.SubjectData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * In-port of the signer: signs an approved request. It reads the request the RA recorded
 * (CSR, validated names, the class's profile) and passes the CA only the profile and
 * subject data; the CA re-checks the CSR and builds every extension itself. The CA's
 * journal commits on its own, so a retry after any failure returns the certificate
 * already signed.
 */
@Service
public class IssueCertificate {

	private static final Logger log = LoggerFactory.getLogger(IssueCertificate.class);

	// A request the RA has not recorded as approved is never signed, whatever a task
	// says.
	private static final String APPROVED_REQUEST = "select r.csr_der, r.full_name, r.email, coalesce(r.class_issuance_profile, c.issuance_profile), "
			+ "coalesce(r.class_validity_days, c.validity_days) "
			+ "from certificate_request r join certificate_class c on c.name = r.certificate_class "
			+ "where r.request_id = ? and r.status in ('APPROVED', 'ISSUED')";

	private final JdbcTemplate jdbc;

	private final RevocableCertificateAuthority ca;

	IssueCertificate(JdbcTemplate jdbc, RevocableCertificateAuthority ca) {
		this.jdbc = jdbc;
		this.ca = ca;
	}

	/**
	 * Issues the certificate for a request.
	 * @param requestId the approved request
	 * @return the serial of the issued certificate, lowercase hex
	 * @throws IssuanceRefusedException when the CA refuses; the request cannot be issued
	 * as is
	 * @throws IllegalStateException when the request is unknown or not approved
	 */
	public String issue(String requestId) {
		List<IssuanceRequest> found = this.jdbc.query(APPROVED_REQUEST,
				(rs, row) -> new IssuanceRequest(requestId, rs.getBytes(1), rs.getString(4),
						SubjectData.of(rs.getString(2), rs.getString(3)), java.time.Duration.ofDays(rs.getInt(5))),
				requestId);
		if (found.isEmpty()) {
			throw new IllegalStateException("Request " + requestId + " is not recorded as approved");
		}
		IssuedCertificate issued = this.ca.issue(found.get(0));
		log.info("Request {} issued as serial {}", requestId, issued.serialHex());
		return issued.serialHex();
	}

	/**
	 * Issues the certificates for a chunk of requests with two commits of the CA's
	 * journal for the whole chunk (see {@link RevocableCertificateAuthority#issueAll}).
	 * @param requestIds the requests, each at most once
	 * @return one outcome per request, in the order given: a certificate, an
	 * {@link IssuanceRefusedException}, or another failure (an
	 * {@link IllegalStateException} for a request not recorded as approved)
	 */
	public List<IssuanceOutcome> issueAll(List<String> requestIds) {
		IssuanceOutcome[] outcomes = new IssuanceOutcome[requestIds.size()];
		List<IssuanceRequest> approved = new ArrayList<>();
		List<Integer> positions = new ArrayList<>();
		for (int i = 0; i < requestIds.size(); i++) {
			String requestId = requestIds.get(i);
			try {
				List<IssuanceRequest> found = this.jdbc.query(APPROVED_REQUEST,
						(rs, row) -> new IssuanceRequest(requestId, rs.getBytes(1), rs.getString(4),
								SubjectData.of(rs.getString(2), rs.getString(3)),
								java.time.Duration.ofDays(rs.getInt(5))),
						requestId);
				if (found.isEmpty()) {
					throw new IllegalStateException("Request " + requestId + " is not recorded as approved");
				}
				approved.add(found.get(0));
				positions.add(i);
			}
			catch (RuntimeException ex) {
				outcomes[i] = IssuanceOutcome.failed(requestId, ex);
			}
		}
		if (!approved.isEmpty()) {
			List<IssuanceOutcome> issued = this.ca.issueAll(approved);
			for (int k = 0; k < issued.size(); k++) {
				outcomes[positions.get(k)] = issued.get(k);
			}
		}
		return List.of(outcomes);
	}

}
