package org.certflow.request;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin looks up a certificate request, so that the web layer reads
 * requests through a use case and never holds a repository.
 */
@Service
public class FindRequest {

	private final CertificateRequests requests;

	FindRequest(CertificateRequests requests) {
		this.requests = requests;
	}

	/**
	 * @param requestId the request id (business key of its process)
	 * @return the request
	 * @throws RequestException (NOT_FOUND) when there is none
	 */
	@Transactional(readOnly = true)
	public CertificateRequest byId(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
					"There is no certificate request with id '" + requestId + "'."));
	}

}
