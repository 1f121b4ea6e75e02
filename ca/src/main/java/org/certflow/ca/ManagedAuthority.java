package org.certflow.ca;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issuance plus status: the CA as the service uses it. */
final class ManagedAuthority implements RevocableCertificateAuthority {

	private static final Logger log = LoggerFactory.getLogger(ManagedAuthority.class);

	private final IssuingAuthority issuing;

	private final RevocationRegistry registry;

	private final CrlPublisher crl;

	private final RootCrlPublisher rootCrl;

	private final OcspResponder ocsp;

	private final Clock clock;

	private final String issuer;

	ManagedAuthority(IssuingAuthority issuing, RevocationRegistry registry, CrlPublisher crl, RootCrlPublisher rootCrl,
			OcspResponder ocsp, Clock clock) {
		this.issuing = issuing;
		this.registry = registry;
		this.crl = crl;
		this.rootCrl = rootCrl;
		this.ocsp = ocsp;
		this.clock = clock;
		this.issuer = issuing.keys().issuerDn();
	}

	@Override
	public IssuedCertificate issue(IssuanceRequest request) {
		IssuedCertificate issued = this.issuing.issue(request);
		// A cached "unknown" for this serial would now be wrong.
		this.ocsp.forgetUnknown();
		return issued;
	}

	@Override
	public List<X509Certificate> caChain() {
		return this.issuing.caChain();
	}

	@Override
	public synchronized void revoke(BigInteger serial, RevocationReason reason) {
		if (reason == RevocationReason.CERTIFICATE_HOLD) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.REASON_NOT_ALLOWED,
					"certificateHold is a suspension; use suspend");
		}
		if (reason == RevocationReason.CA_COMPROMISE || reason == RevocationReason.AA_COMPROMISE) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.REASON_NOT_ALLOWED,
					reason.rfcName() + " applies to CA certificates, not to subscriber certificates");
		}
		RevocationRegistry.CertificateStatus status = known(serial);
		if (status.revoked() && status.reason() != RevocationReason.CERTIFICATE_HOLD) {
			boolean escalation = reason == RevocationReason.KEY_COMPROMISE
					&& status.reason() != RevocationReason.KEY_COMPROMISE;
			if (!escalation) {
				throw new RevocationRefusedException(RevocationRefusedException.Kind.ALREADY_REVOKED, "certificate "
						+ serial.toString(16) + " is already revoked (" + status.reason().rfcName() + ")");
			}
		}
		// Keep the first revocation date: relying parties should distrust from the
		// earliest moment.
		this.registry.recordRevocation(this.issuer, serial, reason,
				status.revoked() ? status.revokedAt() : this.clock.instant().truncatedTo(ChronoUnit.SECONDS));
		changed();
		log.info("Revoked serial {} ({})", serial.toString(16), reason.rfcName());
	}

	@Override
	public synchronized void suspend(BigInteger serial) {
		RevocationRegistry.CertificateStatus status = known(serial);
		if (status.revoked()) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.ALREADY_REVOKED, "certificate "
					+ serial.toString(16) + " is already revoked or on hold (" + status.reason().rfcName() + ")");
		}
		this.registry.recordRevocation(this.issuer, serial, RevocationReason.CERTIFICATE_HOLD,
				this.clock.instant().truncatedTo(ChronoUnit.SECONDS));
		changed();
		log.info("Suspended serial {}", serial.toString(16));
	}

	@Override
	public synchronized void unsuspend(BigInteger serial) {
		RevocationRegistry.CertificateStatus status = known(serial);
		if (status.reason() != RevocationReason.CERTIFICATE_HOLD) {
			throw new RevocationRefusedException(RevocationRefusedException.Kind.NOT_ON_HOLD,
					"certificate " + serial.toString(16) + " is not on hold");
		}
		this.registry.clearRevocation(this.issuer, serial);
		changed();
		log.info("Unsuspended serial {}", serial.toString(16));
	}

	@Override
	public Optional<RevocationRegistry.CertificateStatus> status(BigInteger serial) {
		return this.registry.status(this.issuer, serial);
	}

	@Override
	public byte[] currentCrlDer() {
		return this.crl.current();
	}

	@Override
	public byte[] currentRootCrlDer() {
		return this.rootCrl.current();
	}

	@Override
	public void refreshCrl() {
		this.crl.refresh(true);
		this.rootCrl.refresh();
	}

	@Override
	public byte[] ocspResponse(byte[] derRequest) {
		return this.ocsp.respond(derRequest);
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

	@Override
	public void invalidateCaches() {
		this.crl.invalidate();
		this.ocsp.invalidate();
	}

	IssuingAuthority issuing() {
		return this.issuing;
	}

	private RevocationRegistry.CertificateStatus known(BigInteger serial) {
		return this.registry.status(this.issuer, serial)
			.orElseThrow(() -> new RevocationRefusedException(RevocationRefusedException.Kind.UNKNOWN_CERTIFICATE,
					"no certificate with serial " + serial.toString(16) + " was issued by this CA"));
	}

	private void changed() {
		this.crl.invalidate();
		this.ocsp.invalidate();
	}

}
