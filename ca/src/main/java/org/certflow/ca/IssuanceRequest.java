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
 * @param validity how long the certificate should be valid, from its class; {@code null}
 * for the profile's validity, which is also the most any request gets
 */
public record IssuanceRequest(String requestId, byte[] csrDer, String profile, SubjectData subject,
		java.time.Duration validity) {

	/**
	 * A request for the profile's own validity.
	 * @param requestId the RA's request id
	 * @param csrDer the DER-encoded PKCS#10 request
	 * @param profile the issuance profile
	 * @param subject subject data the RA validated
	 */
	public IssuanceRequest(String requestId, byte[] csrDer, String profile, SubjectData subject) {
		this(requestId, csrDer, profile, subject, null);
	}

	public IssuanceRequest {
		if (validity != null && (validity.isNegative() || validity.isZero())) {
			throw new IllegalArgumentException("validity must be positive");
		}
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
