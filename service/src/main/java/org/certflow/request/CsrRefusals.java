package org.certflow.request;

import org.certflow.ca.IssuanceRefusedException;

/** Maps the CA's refusals to what the applicant is told. */
final class CsrRefusals {

	private CsrRefusals() {
	}

	static RequestException toRequestException(IssuanceRefusedException ex) {
		RequestException.Kind kind = switch (ex.reason()) {
			case MALFORMED_PEM, MALFORMED_CSR -> RequestException.Kind.INVALID;
			default -> RequestException.Kind.REFUSED;
		};
		return new RequestException(kind, ex.getMessage(), ex);
	}

}
