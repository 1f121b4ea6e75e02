package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;

/**
 * Answers OCSP requests (RFC 6960, profiled by RFC 5019) from responses the signer made
 * ahead of time; it holds no key and signs nothing, so any node can run it. Like Let's
 * Encrypt's responder it answers:
 * <ul>
 * <li>malformedRequest for anything that is not one strictly DER-encoded request, and for
 * more than one certificate per request (RFC 5019 2.1.1);</li>
 * <li>unauthorized for a CertID of another issuer, an unsupported hash, or a serial with
 * no pre-produced response (never issued, or not yet signed);</li>
 * <li>otherwise the stored response for the CertID's hash algorithm, also when the
 * request carries a nonce: RFC 5019 2.2.1 lets a responder ignore it.</li>
 * </ul>
 * Thread-safe; never throws for bad input.
 */
public final class OcspServer {

	/** An OCSP request for one certificate is about 100 bytes; this is plenty. */
	static final int MAX_REQUEST_BYTES = 8 * 1024;

	private static final byte[] MALFORMED = status(OCSPRespBuilder.MALFORMED_REQUEST);

	private static final byte[] UNAUTHORIZED = status(OCSPRespBuilder.UNAUTHORIZED);

	private static final byte[] TRY_LATER = status(OCSPRespBuilder.TRY_LATER);

	private final PreProducedResponses responses;

	private final byte[] sha1NameHash;

	private final byte[] sha1KeyHash;

	private final byte[] sha256NameHash;

	private final byte[] sha256KeyHash;

	/**
	 * @param issuingCertificate the issuing CA certificate whose certificates are
	 * answered for (public data only)
	 * @param responses where the pre-produced responses are looked up
	 */
	public OcspServer(X509Certificate issuingCertificate, PreProducedResponses responses) {
		this.responses = Objects.requireNonNull(responses, "responses");
		byte[] name = issuingCertificate.getSubjectX500Principal().getEncoded();
		byte[] key = SubjectPublicKeyInfo.getInstance(issuingCertificate.getPublicKey().getEncoded())
			.getPublicKeyData()
			.getBytes();
		this.sha1NameHash = digest("SHA-1", name);
		this.sha1KeyHash = digest("SHA-1", key);
		this.sha256NameHash = digest("SHA-256", name);
		this.sha256KeyHash = digest("SHA-256", key);
	}

	/**
	 * Answers one request.
	 * @param requestDer the DER OCSPRequest (POST body, or the decoded GET path)
	 * @return the DER OCSPResponse; callers must not modify it
	 */
	public byte[] respond(byte[] requestDer) {
		Lookup lookup = parse(requestDer);
		if (lookup.error() != null) {
			return lookup.error();
		}
		byte[] response = this.responses.find(lookup.serial(), lookup.hash());
		return (response != null) ? response : UNAUTHORIZED;
	}

	/**
	 * Reads which certificate and CertID hash a request asks about, without looking
	 * anything up, so callers may cache by the result.
	 * @param requestDer the DER OCSPRequest
	 * @return the lookup, or an error response to send as it is
	 */
	public Lookup parse(byte[] requestDer) {
		if (requestDer == null || DerGuard.problem(requestDer, MAX_REQUEST_BYTES) != null) {
			return Lookup.failed(MALFORMED);
		}
		Request request;
		try {
			ASN1Sequence list = OCSPRequest.getInstance(ASN1Primitive.fromByteArray(requestDer))
				.getTbsRequest()
				.getRequestList();
			if (list.size() != 1) {
				return Lookup.failed(MALFORMED);
			}
			request = Request.getInstance(list.getObjectAt(0));
		}
		catch (IOException | RuntimeException ex) {
			return Lookup.failed(MALFORMED);
		}
		CertID id = request.getReqCert();
		CertIdHash hash;
		if (OIWObjectIdentifiers.idSHA1.equals(id.getHashAlgorithm().getAlgorithm())) {
			hash = CertIdHash.SHA1;
			if (!issuedHere(id, this.sha1NameHash, this.sha1KeyHash)) {
				return Lookup.failed(UNAUTHORIZED);
			}
		}
		else if (NISTObjectIdentifiers.id_sha256.equals(id.getHashAlgorithm().getAlgorithm())) {
			hash = CertIdHash.SHA256;
			if (!issuedHere(id, this.sha256NameHash, this.sha256KeyHash)) {
				return Lookup.failed(UNAUTHORIZED);
			}
		}
		else {
			return Lookup.failed(UNAUTHORIZED);
		}
		BigInteger serial = id.getSerialNumber().getValue();
		if (serial.signum() <= 0 || serial.bitLength() > 160) {
			// No certificate of ours has such a serial (RFC 5280 4.1.2.2).
			return Lookup.failed(UNAUTHORIZED);
		}
		return new Lookup(serial, hash, null);
	}

	/**
	 * The answer for a responder that has nothing to serve yet (RFC 6960 tryLater).
	 * @return the DER OCSPResponse
	 */
	public static byte[] tryLater() {
		return TRY_LATER.clone();
	}

	private static boolean issuedHere(CertID id, byte[] nameHash, byte[] keyHash) {
		return Arrays.equals(nameHash, id.getIssuerNameHash().getOctets())
				&& Arrays.equals(keyHash, id.getIssuerKeyHash().getOctets());
	}

	static byte[] digest(String algorithm, byte[] data) {
		try {
			return MessageDigest.getInstance(algorithm).digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
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

	/** The hash algorithm of a request's CertID; a response must name the same one. */
	public enum CertIdHash {

		SHA1, SHA256

	}

	/**
	 * Port: the pre-produced responses, by certificate.
	 */
	@FunctionalInterface
	public interface PreProducedResponses {

		/**
		 * @param serial the certificate's serial
		 * @param hash the CertID hash the response must carry
		 * @return the DER OCSPResponse, or {@code null} when none was produced
		 */
		byte[] find(BigInteger serial, CertIdHash hash);

	}

	/**
	 * What a request asks about.
	 *
	 * @param serial the serial, when the request is well-formed and for our issuer
	 * @param hash the CertID hash algorithm
	 * @param error the OCSP error response to send instead, or {@code null}
	 */
	public record Lookup(BigInteger serial, CertIdHash hash, byte[] error) {

		static Lookup failed(byte[] error) {
			return new Lookup(null, null, error);
		}

	}

}
