package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;

/**
 * Signs OCSP responses ahead of time (RFC 5019), one certificate at a time, directly with
 * the issuing CA key. Nothing here answers a request: {@link OcspServer} does that, from
 * the stored responses, without any key.
 */
final class OcspResponder {

	private final CaKeys keys;

	private final RevocationRegistry registry;

	private final Duration validity;

	private final Clock clock;

	private final RespID responderId;

	private final IssuerHashes sha1;

	private final IssuerHashes sha256;

	OcspResponder(CaKeys keys, RevocationRegistry registry, Duration validity, Clock clock) {
		this.keys = keys;
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
		byte[] name = keys.issuingCertificate().getSubjectX500Principal().getEncoded();
		byte[] key = SubjectPublicKeyInfo.getInstance(keys.issuingCertificate().getPublicKey().getEncoded())
			.getPublicKeyData()
			.getBytes();
		// Hash algorithm identifiers with NULL parameters, as OpenSSL and Bouncy Castle
		// write them in requests; clients compare only the OID anyway.
		this.sha1 = new IssuerHashes(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE),
				OcspServer.digest("SHA-1", name), OcspServer.digest("SHA-1", key));
		this.sha256 = new IssuerHashes(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
				OcspServer.digest("SHA-256", name), OcspServer.digest("SHA-256", key));
		this.responderId = new RespID(new ResponderID(new DEROctetString(OcspServer.digest("SHA-1", key))));
	}

	/**
	 * Signs both responses for the stored status of one certificate.
	 * @param serial the serial
	 * @return the responses, empty when this CA issued no certificate with the serial
	 */
	Optional<PreProducedOcsp> produce(BigInteger serial) {
		// thisUpdate is taken before the status is read: a change after the read is
		// then always later than the response that misses it.
		Instant thisUpdate = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant nextUpdate = thisUpdate.plus(this.validity);
		Optional<RevocationRegistry.CertificateStatus> status = this.registry.status(this.keys.issuerDn(), serial);
		if (status.isEmpty()) {
			return Optional.empty();
		}
		CertificateStatus certStatus = certificateStatus(status.get());
		return Optional.of(new PreProducedOcsp(serial, sign(this.sha1, serial, certStatus, thisUpdate, nextUpdate),
				sign(this.sha256, serial, certStatus, thisUpdate, nextUpdate), thisUpdate, nextUpdate));
	}

	private byte[] sign(IssuerHashes hashes, BigInteger serial, CertificateStatus status, Instant thisUpdate,
			Instant nextUpdate) {
		CertificateID id = new CertificateID(new CertID(hashes.algorithm(), new DEROctetString(hashes.name()),
				new DEROctetString(hashes.key()), new ASN1Integer(serial)));
		BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(this.responderId);
		builder.addResponse(id, status, Date.from(thisUpdate), Date.from(nextUpdate), null);
		try {
			return new OCSPRespBuilder()
				.build(OCSPRespBuilder.SUCCESSFUL,
						builder.build(this.keys.contentSigner(), null, Date.from(thisUpdate)))
				.getEncoded();
		}
		catch (OCSPException | IOException ex) {
			throw new IllegalStateException("cannot build an OCSP response", ex);
		}
	}

	private static CertificateStatus certificateStatus(RevocationRegistry.CertificateStatus s) {
		if (!s.revoked()) {
			return CertificateStatus.GOOD;
		}
		Date revokedAt = Date.from(s.revokedAt());
		// RFC 5280 5.3.1: leave the reason out rather than say "unspecified".
		return (s.reason() == RevocationReason.UNSPECIFIED) ? new RevokedStatus(revokedAt, -1)
				: new RevokedStatus(revokedAt, s.reason().code());
	}

	private record IssuerHashes(AlgorithmIdentifier algorithm, byte[] name, byte[] key) {
	}

}
