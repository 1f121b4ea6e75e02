package org.certflow.ca;

import java.util.Objects;

/**
 * One request to certify a public key.
 *
 * @param requestId the RA's request id; it is written into the journal and must be unique
 * per certificate
 * @param csrDer the DER-encoded PKCS#10 request (proof of possession is checked again)
 * @param profile the issuance profile (certificate class) chosen by the RA
 * @param subject subject data the RA validated; the CSR's own subject is never copied
 */
public record IssuanceRequest(String requestId, byte[] csrDer, String profile, SubjectData subject) {

	public IssuanceRequest {
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(csrDer, "csrDer");
		Objects.requireNonNull(profile, "profile");
		Objects.requireNonNull(subject, "subject");
		csrDer = csrDer.clone();
	}

	@Override
	public byte[] csrDer() {
		return this.csrDer.clone();
	}

}
