package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;

/**
 * The issuing CA's full CRL. Kept signed in memory and rebuilt on change or when half its
 * validity has passed, so readers never wait for a signature on the hot path.
 */
final class CrlPublisher {

	private final CaKeys keys;

	private final RevocationRegistry registry;

	private final Duration validity;

	private final Clock clock;

	private volatile Published current;

	private final AtomicLong generation = new AtomicLong();

	CrlPublisher(CaKeys keys, RevocationRegistry registry, Duration validity, Clock clock) {
		this.keys = keys;
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
	}

	byte[] current() {
		Published p = this.current;
		if (p == null || stale(p)) {
			p = refresh(true);
		}
		return p.der.clone();
	}

	void invalidate() {
		this.generation.incrementAndGet();
		this.current = null;
	}

	synchronized Published refresh(boolean onlyIfStale) {
		Published p = this.current;
		if (p != null && !stale(p) && onlyIfStale) {
			return p;
		}
		long before = this.generation.get();
		p = build();
		// A change recorded while this CRL was being built may be missing from it: hand
		// it out
		// once, but do not keep it.
		if (this.generation.get() == before) {
			this.current = p;
		}
		return p;
	}

	private boolean stale(Published p) {
		return this.clock.instant().isAfter(p.thisUpdate.plus(this.validity.dividedBy(2)));
	}

	private Published build() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		String issuer = this.keys.issuerDn();
		BigInteger number = this.registry.nextCrlNumber(issuer);
		try {
			X509v2CRLBuilder b = new X509v2CRLBuilder(this.keys.issuerName(), Date.from(now));
			b.setNextUpdate(Date.from(now.plus(this.validity)));
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
			return new Published(der, now, number);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot build the CRL", ex);
		}
	}

	/**
	 * A signed CRL.
	 *
	 * @param der the CRL
	 * @param thisUpdate its thisUpdate
	 * @param number its CRL number
	 */
	record Published(byte[] der, Instant thisUpdate, BigInteger number) {
	}

}
