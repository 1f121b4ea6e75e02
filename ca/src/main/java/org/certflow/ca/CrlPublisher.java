package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;

/**
 * Signs the issuing CA's full CRL. Every call signs a new one with the next CRL number;
 * when to call is the publisher's decision (on change, and before half the validity has
 * passed), and the result is stored and served by nodes without the key.
 */
final class CrlPublisher {

	private final CaKeys keys;

	private final RevocationRegistry registry;

	private final Duration validity;

	private final Clock clock;

	CrlPublisher(CaKeys keys, RevocationRegistry registry, Duration validity, Clock clock) {
		this.keys = keys;
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
	}

	SignedCrl produce() {
		// thisUpdate is taken before the revoked list is read: a change after the read is
		// then always later than the CRL that misses it.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		String issuer = this.keys.issuerDn();
		BigInteger number = this.registry.nextCrlNumber(issuer);
		try {
			X509v2CRLBuilder b = new X509v2CRLBuilder(this.keys.issuerName(), Date.from(now));
			Instant nextUpdate = now.plus(this.validity);
			b.setNextUpdate(Date.from(nextUpdate));
			for (RevocationRegistry.RevokedEntry e : this.registry.revoked(issuer, now)) {
				ExtensionsGenerator entry = new ExtensionsGenerator();
				// RFC 5280 5.3.1: leave the reason out rather than say "unspecified".
				if (e.reason() != RevocationReason.UNSPECIFIED) {
					entry.addExtension(Extension.reasonCode, false,
							CRLReason.getInstance(new ASN1Enumerated(e.reason().code())));
				}
				b.addCRLEntry(e.serial(), Date.from(e.revokedAt()), entry.isEmpty() ? null : entry.generate());
			}
			b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
			b.addExtension(Extension.authorityKeyIdentifier, false,
					new AuthorityKeyIdentifier(this.keys.issuerKeyId()));
			byte[] der = b.build(this.keys.contentSigner()).getEncoded();
			return new SignedCrl(der, number, now, nextUpdate);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot build the CRL", ex);
		}
	}

}
