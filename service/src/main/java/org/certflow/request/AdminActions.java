package org.certflow.request;

/** What the RA admin's actions on one request share. */
public final class AdminActions {

	private AdminActions() {
	}

	/**
	 * Finds and row-locks a request for an admin action.
	 * @param requests the repository
	 * @param requestId the id as the admin sent it
	 * @return the request
	 * @throws RequestException NOT_FOUND when there is none
	 */
	public static CertificateRequest lock(CertificateRequests requests, String requestId) {
		return requests.lockById(requestId)
			.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
					"There is no certificate request with id '" + requestId + "'."));
	}

}
