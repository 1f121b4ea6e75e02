package org.certflow.revocation;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.certflow.ca.OcspServer;
import org.certflow.revocation.RevocationStore.CaRole;
import org.certflow.revocation.RevocationStore.PublishedCa;
import org.certflow.revocation.RevocationStore.StoredCrl;

import org.springframework.stereotype.Service;

/**
 * What relying parties fetch: the CA chain, the issuing CA certificate (AIA caIssuers),
 * the current CRLs and OCSP responses, all as the signer stored them; this node holds no
 * CA key and signs nothing. Everything read from the database is kept for
 * {@link #CACHE_TTL}, so that OCSP answers cost a map lookup while every node still sees
 * a status change within about a second after the signer has published it.
 */
@Service
public class CaPublication {

	/**
	 * Short, so several nodes agree quickly after a revocation: the signer publishes
	 * within its interval (1 s), then each node within this.
	 */
	static final Duration CACHE_TTL = Duration.ofSeconds(2);

	/** Bounds memory when clients ask about many distinct certificates. */
	private static final int MAX_CACHED_RESPONSES = 200_000;

	/** Cached "the signer produced nothing for this certificate". */
	private static final byte[] NONE = new byte[0];

	private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64,
			"\n".getBytes(StandardCharsets.US_ASCII));

	private final RevocationStore store;

	private final Cache<String, Object> material = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).build();

	private final Cache<ResponseKey, byte[]> responses = Caffeine.newBuilder()
		.expireAfterWrite(CACHE_TTL)
		.maximumSize(MAX_CACHED_RESPONSES)
		.build();

	/** The server for the issuing CA certificate last published. */
	private volatile Server server;

	public CaPublication(RevocationStore store) {
		this.store = store;
	}

	/**
	 * The issuing CA's current CRL.
	 * @return the DER CRL
	 * @throws CaMaterialNotPublishedException before the signer published one
	 */
	public byte[] crlDer() {
		return crl(CaRole.ISSUING, "issuing CA's CRL");
	}

	/**
	 * The root's CRL (ARL), signed by the signer when it holds the root key, otherwise
	 * the one an operator placed in its CA folder.
	 * @return the DER CRL
	 * @throws CaMaterialNotPublishedException before the signer published one
	 */
	public byte[] rootCrlDer() {
		return crl(CaRole.ROOT, "root CA's CRL");
	}

	/**
	 * @return PEM blocks, issuing CA first, root last
	 * @throws CaMaterialNotPublishedException before the signer published the chain
	 */
	public String chainPem() {
		PublishedCa ca = publishedChain();
		StringBuilder pem = new StringBuilder();
		for (byte[] der : new byte[][] { ca.issuingDer(), ca.rootDer() }) {
			pem.append("-----BEGIN CERTIFICATE-----\n")
				.append(PEM_BASE64.encodeToString(der))
				.append("\n-----END CERTIFICATE-----\n");
		}
		return pem.toString();
	}

	/**
	 * @return the issuing CA certificate (DER)
	 * @throws CaMaterialNotPublishedException before the signer published the chain
	 */
	public byte[] issuingCaDer() {
		return publishedChain().issuingDer().clone();
	}

	/**
	 * The issuer under which the registry keeps this CA's certificates.
	 * @return the issuing CA's subject (RFC 2253)
	 * @throws CaMaterialNotPublishedException before the CA has ever started against this
	 * database
	 */
	public String issuerDn() {
		return ca().map(PublishedCa::issuerDn)
			.orElseThrow(() -> new CaMaterialNotPublishedException(
					"This database serves no CA yet: the signer has not started against it."));
	}

	/**
	 * Answers an OCSP request from the responses the signer produced. Malformed requests
	 * get an OCSP error response, never an exception; before the signer has published
	 * anything the answer is tryLater.
	 * @param derRequest the DER OCSPRequest
	 * @return the DER OCSPResponse; callers must not modify it
	 */
	public byte[] ocsp(byte[] derRequest) {
		Server current = server();
		return (current != null) ? current.ocsp().respond(derRequest) : OcspServer.tryLater();
	}

	/**
	 * Forgets what this node cached about a certificate, after it changed its status
	 * here: the next request reads the database again.
	 * @param serial the serial
	 */
	void forget(BigInteger serial) {
		for (OcspServer.CertIdHash hash : OcspServer.CertIdHash.values()) {
			this.responses.invalidate(new ResponseKey(serial, hash));
		}
		this.material.invalidate(CaRole.ISSUING.name());
	}

	private byte[] crl(CaRole role, String what) {
		Object crl = this.material.get(role.name(), (key) -> this.store.crl(role).map(StoredCrl::der).orElse(NONE));
		if (crl == NONE) {
			this.material.invalidate(role.name());
			throw new CaMaterialNotPublishedException(
					"The signer has not published the " + what + " yet; try again in a few seconds.");
		}
		return ((byte[]) crl).clone();
	}

	@SuppressWarnings("unchecked")
	private Optional<PublishedCa> ca() {
		Optional<PublishedCa> ca = (Optional<PublishedCa>) this.material.get("ca", (key) -> this.store.ca());
		if (ca.isEmpty() || !ca.get().chainPublished()) {
			// Not cached while incomplete: the first publication is seen at once.
			this.material.invalidate("ca");
		}
		return ca;
	}

	private PublishedCa publishedChain() {
		return ca().filter(PublishedCa::chainPublished)
			.orElseThrow(() -> new CaMaterialNotPublishedException(
					"The signer has not published the CA certificates yet; try again in a few seconds."));
	}

	private Server server() {
		Server current = this.server;
		// The chain rarely changes (a new issuing CA): look at it once per cache period,
		// not on every request.
		if (current != null && System.nanoTime() - current.checkedAt() < CACHE_TTL.toNanos()) {
			return current;
		}
		Optional<PublishedCa> ca = ca().filter(PublishedCa::chainPublished);
		if (ca.isEmpty()) {
			return null;
		}
		if (current == null || !Arrays.equals(current.issuingDer(), ca.get().issuingDer())) {
			String issuer = ca.get().issuerDn();
			current = new Server(ca.get().issuingDer(), new OcspServer(certificate(ca.get().issuingDer()),
					(serial, hash) -> response(issuer, serial, hash)), System.nanoTime());
		}
		else {
			current = new Server(current.issuingDer(), current.ocsp(), System.nanoTime());
		}
		this.server = current;
		return current;
	}

	private byte[] response(String issuer, BigInteger serial, OcspServer.CertIdHash hash) {
		byte[] response = this.responses.get(new ResponseKey(serial, hash), (key) -> {
			byte[] found = this.store.ocsp(issuer, serial, hash);
			return (found != null) ? found : NONE;
		});
		return (response == NONE) ? null : response;
	}

	private static X509Certificate certificate(byte[] der) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
		}
		catch (CertificateException ex) {
			throw new IllegalStateException("The published issuing CA certificate cannot be read", ex);
		}
	}

	private record ResponseKey(BigInteger serial, OcspServer.CertIdHash hash) {
	}

	private record Server(byte[] issuingDer, OcspServer ocsp, long checkedAt) {
	}

}
