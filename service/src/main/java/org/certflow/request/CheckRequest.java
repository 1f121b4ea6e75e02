package org.certflow.request;

import java.util.HexFormat;
import java.util.Optional;

import org.certflow.ca.CsrInspector;
import org.certflow.ca.IssuanceJournal;
import org.certflow.ca.IssuanceRefusedException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: checks a submitted request again before an officer spends time on it. Key
 * policy may have changed since submission (a new blocklist entry) and the key may
 * meanwhile have been certified for someone else.
 */
@Service
public class CheckRequest {

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final CsrInspector inspector;

	private final IssuanceJournal journal;

	CheckRequest(CertificateRequests requests, CertificateClasses classes, CsrInspector inspector,
			IssuanceJournal journal) {
		this.requests = requests;
		this.classes = classes;
		this.inspector = inspector;
		this.journal = journal;
	}

	/**
	 * @param requestId the request
	 * @return why the request cannot be issued, or empty when it may go to the officers
	 */
	@Transactional(readOnly = true)
	public Optional<String> refusal(String requestId) {
		CertificateRequest request = this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		// The profile copied at submission: a class changed since does not change this
		// request.
		String profile = (request.getClassIssuanceProfile() != null) ? request.getClassIssuanceProfile()
				: this.classes.findById(request.getCertificateClass()).orElseThrow().getIssuanceProfile();
		if (request.getKeySource() == KeySource.SERVER && request.getCsrDer() == null) {
			// The server makes the key at issuance, of a type the class allows, and the
			// CA checks its CSR then; there is nothing to check yet.
			return Optional.empty();
		}
		try {
			this.inspector.inspect(request.getCsrDer(), profile);
		}
		catch (IssuanceRefusedException ex) {
			return Optional.of(ex.getMessage());
		}
		Optional<String> holder = this.journal
			.subscriberOfPublicKey(HexFormat.of().parseHex(request.getPublicKeySha256()));
		if (holder.isPresent() && !holder.get().equalsIgnoreCase(request.getEmail())) {
			return Optional.of("This public key is already certified for another subscriber. Make a new key pair "
					+ "and apply again.");
		}
		return Optional.empty();
	}

}
