package org.certflow.ca;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Issuance plus status: the CA as the signer uses it. Status changes follow
 * {@link CertificateStatusRules}; CRLs and OCSP responses are signed on the publisher's
 * call, never for a relying party's request.
 */
final class ManagedAuthority implements RevocableCertificateAuthority {

	private final IssuingAuthority issuing;

	private final RevocationRegistry registry;

	private final CertificateStatusRules rules;

	private final CrlPublisher crl;

	private final RootCrlPublisher rootCrl;

	private final OcspResponder ocsp;

	private final String issuer;

	ManagedAuthority(IssuingAuthority issuing, RevocationRegistry registry, CrlPublisher crl, RootCrlPublisher rootCrl,
			OcspResponder ocsp, Clock clock) {
		this.issuing = issuing;
		this.registry = registry;
		this.rules = new CertificateStatusRules(registry, clock);
		this.crl = crl;
		this.rootCrl = rootCrl;
		this.ocsp = ocsp;
		this.issuer = issuing.keys().issuerDn();
	}

	@Override
	public IssuedCertificate issue(IssuanceRequest request) {
		return this.issuing.issue(request);
	}

	@Override
	public List<IssuanceOutcome> issueAll(List<IssuanceRequest> requests) {
		return this.issuing.issueAll(requests);
	}

	@Override
	public List<X509Certificate> caChain() {
		return this.issuing.caChain();
	}

	@Override
	public void revoke(BigInteger serial, RevocationReason reason) {
		this.rules.revoke(this.issuer, serial, reason);
	}

	@Override
	public void suspend(BigInteger serial) {
		this.rules.suspend(this.issuer, serial);
	}

	@Override
	public void unsuspend(BigInteger serial) {
		this.rules.unsuspend(this.issuer, serial);
	}

	@Override
	public Optional<RevocationRegistry.CertificateStatus> status(BigInteger serial) {
		return this.registry.status(this.issuer, serial);
	}

	@Override
	public String issuerDn() {
		return this.issuer;
	}

	@Override
	public Optional<PreProducedOcsp> produceOcsp(BigInteger serial) {
		return this.ocsp.produce(serial);
	}

	@Override
	public SignedCrl produceCrl() {
		return this.crl.produce();
	}

	@Override
	public SignedCrl produceRootCrl() {
		return this.rootCrl.produce();
	}

	@Override
	public String caChainPem() {
		StringBuilder pem = new StringBuilder();
		Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] { '\n' });
		for (X509Certificate cert : caChain()) {
			try {
				pem.append("-----BEGIN CERTIFICATE-----\n")
					.append(encoder.encodeToString(cert.getEncoded()))
					.append("\n-----END CERTIFICATE-----\n");
			}
			catch (CertificateEncodingException ex) {
				throw new IllegalStateException("cannot encode a CA certificate", ex);
			}
		}
		return pem.toString();
	}

	IssuingAuthority issuing() {
		return this.issuing;
	}

}
