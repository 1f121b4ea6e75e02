package org.certflow.ca;

/**
 * What became of one request of a chunk (see {@link CertificateAuthority#issueAll}):
 * exactly one of a certificate or a failure. A failure is an
 * {@link IssuanceRefusedException} when the request cannot be issued as is, any other
 * exception when a retry may succeed.
 *
 * @param requestId the request
 * @param certificate the certificate, or {@code null} when it failed
 * @param failure why it failed, or {@code null} when issued
 */
public record IssuanceOutcome(String requestId, IssuedCertificate certificate, RuntimeException failure) {

	public static IssuanceOutcome issued(IssuedCertificate certificate) {
		return new IssuanceOutcome(certificate.requestId(), certificate, null);
	}

	public static IssuanceOutcome failed(String requestId, RuntimeException failure) {
		return new IssuanceOutcome(requestId, null, failure);
	}

	public boolean isIssued() {
		return this.certificate != null;
	}

}
