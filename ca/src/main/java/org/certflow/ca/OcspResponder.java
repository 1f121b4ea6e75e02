package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;

/**
 * RFC 6960 responder signed directly by the issuing CA. Requests without a nonce are
 * answered from a cache keyed by the request bytes, so the common case costs a map
 * lookup; the cache is dropped on every status change and entries are re-signed after
 * half their validity. Requests with a nonce are signed fresh, since their answer cannot
 * be shared.
 */
final class OcspResponder {

	private static final int MAX_REQUEST_BYTES = 8 * 1024;

	/** Bounds memory when clients send many distinct requests. */
	private static final int MAX_CACHE_ENTRIES = 100_000;

	private static final int MAX_NONCE_BYTES = 32;

	private final CaKeys keys;

	private final RevocationRegistry registry;

	private final Duration validity;

	private final Clock clock;

	private final Map<ASN1ObjectIdentifier, byte[][]> issuerHashes;

	private final RespID responderId;

	private final Map<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();

	private final Map<ByteBuffer, Cached> unknownCache = new ConcurrentHashMap<>();

	/** Bumped on every change, so a response signed across a change is not cached. */
	private final AtomicLong generation = new AtomicLong();

	private final byte[] malformed;

	private final byte[] unauthorized;

	OcspResponder(CaKeys keys, RevocationRegistry registry, Duration validity, Clock clock) {
		this.keys = keys;
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
		byte[] name = keys.issuingCertificate().getSubjectX500Principal().getEncoded();
		byte[] key = SubjectPublicKeyInfo.getInstance(keys.issuingCertificate().getPublicKey().getEncoded())
			.getPublicKeyData()
			.getBytes();
		this.issuerHashes = Map.of(OIWObjectIdentifiers.idSHA1,
				new byte[][] { digest("SHA-1", name), digest("SHA-1", key) }, NISTObjectIdentifiers.id_sha256,
				new byte[][] { digest("SHA-256", name), digest("SHA-256", key) });
		this.responderId = new RespID(new org.bouncycastle.asn1.ocsp.ResponderID(
				new org.bouncycastle.asn1.DEROctetString(digest("SHA-1", key))));
		this.malformed = status(OCSPRespBuilder.MALFORMED_REQUEST);
		this.unauthorized = status(OCSPRespBuilder.UNAUTHORIZED);
	}

	/** Every status may have changed. */
	void invalidate() {
		this.generation.incrementAndGet();
		this.cache.clear();
		this.unknownCache.clear();
	}

	/**
	 * A certificate was issued: only answers that said "unknown" can have changed, so the
	 * cache of known statuses survives issuance.
	 */
	void forgetUnknown() {
		this.generation.incrementAndGet();
		this.unknownCache.clear();
	}

	byte[] respond(byte[] requestDer) {
		if (requestDer == null || requestDer.length > MAX_REQUEST_BYTES) {
			return this.malformed.clone();
		}
		ByteBuffer cacheKey = ByteBuffer.wrap(requestDer);
		Cached hit = this.cache.get(cacheKey);
		if (hit == null) {
			hit = this.unknownCache.get(cacheKey);
		}
		long nowMillis = this.clock.millis();
		if (hit != null && nowMillis < hit.refreshAfterMillis) {
			return hit.response.clone();
		}
		OCSPReq request;
		try {
			if (DerGuard.problem(requestDer, MAX_REQUEST_BYTES) != null) {
				return this.malformed.clone();
			}
			request = new OCSPReq(requestDer);
		}
		catch (IOException | RuntimeException ex) {
			return this.malformed.clone();
		}
		Req[] list = request.getRequestList();
		if (list.length == 0 || list.length > 10) {
			return this.malformed.clone();
		}
		Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
		if (nonce != null) {
			int length = nonceLength(nonce);
			if (length < 1 || length > MAX_NONCE_BYTES) {
				return this.malformed.clone();
			}
		}
		long before = this.generation.get();
		Signed signed = sign(list, nonce);
		if (nonce == null && this.generation.get() == before) {
			Map<ByteBuffer, Cached> target = signed.anyUnknown() ? this.unknownCache : this.cache;
			if (target.size() >= MAX_CACHE_ENTRIES) {
				target.clear();
			}
			// Copy the key: the caller may reuse its array.
			target.put(ByteBuffer.wrap(requestDer.clone()),
					new Cached(signed.response(), nowMillis + this.validity.dividedBy(2).toMillis()));
		}
		return signed.response().clone();
	}

	private Signed sign(Req[] list, Extension nonce) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Date thisUpdate = Date.from(now);
		Date nextUpdate = Date.from(now.plus(this.validity));
		BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(this.responderId);
		String issuer = this.keys.issuerDn();
		boolean anyUnknown = false;
		for (Req req : list) {
			CertificateID id = req.getCertID();
			if (!issuedHere(id)) {
				return new Signed(this.unauthorized, false);
			}
			CertificateStatus status = certificateStatus(issuer, id.getSerialNumber());
			anyUnknown |= status instanceof UnknownStatus;
			builder.addResponse(id, status, thisUpdate, nextUpdate, null);
		}
		if (nonce != null) {
			builder.setResponseExtensions(new Extensions(nonce));
		}
		try {
			return new Signed(new OCSPRespBuilder()
				.build(OCSPRespBuilder.SUCCESSFUL, builder.build(this.keys.contentSigner(), null, thisUpdate))
				.getEncoded(), anyUnknown);
		}
		catch (OCSPException | IOException ex) {
			throw new IllegalStateException("cannot build an OCSP response", ex);
		}
	}

	private CertificateStatus certificateStatus(String issuer, BigInteger serial) {
		Optional<RevocationRegistry.CertificateStatus> status = this.registry.status(issuer, serial);
		if (status.isEmpty()) {
			return new UnknownStatus();
		}
		RevocationRegistry.CertificateStatus s = status.get();
		if (!s.revoked()) {
			return CertificateStatus.GOOD;
		}
		Date revokedAt = Date.from(s.revokedAt());
		return (s.reason() == RevocationReason.UNSPECIFIED) ? new RevokedStatus(revokedAt, -1)
				: new RevokedStatus(revokedAt, s.reason().code());
	}

	private boolean issuedHere(CertificateID id) {
		byte[][] expected = this.issuerHashes.get(id.getHashAlgOID());
		return expected != null && Arrays.equals(expected[0], id.getIssuerNameHash())
				&& Arrays.equals(expected[1], id.getIssuerKeyHash());
	}

	private static int nonceLength(Extension nonce) {
		byte[] value = nonce.getExtnValue().getOctets();
		try {
			// RFC 8954: the nonce is an OCTET STRING inside the extension value.
			return ASN1OctetString.getInstance(value).getOctets().length;
		}
		catch (IllegalArgumentException ex) {
			// Some older clients put raw bytes there; accept them by their raw length.
			return value.length;
		}
	}

	private static byte[] status(int status) {
		try {
			return new OCSPRespBuilder().build(status, null).getEncoded();
		}
		catch (OCSPException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] digest(String algorithm, byte[] data) {
		try {
			return MessageDigest.getInstance(algorithm).digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Cached(byte[] response, long refreshAfterMillis) {
	}

	private record Signed(byte[] response, boolean anyUnknown) {
	}

}
