package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Revocation through the RA admin API, seen by relying parties at the URLs the
 * certificate carries: the CRL (checked by the JDK and by {@code openssl crl}) and OCSP
 * (asked by {@code openssl ocsp} over POST and by a GET request). Both are signed ahead
 * of time by the signer's publisher and served as stored bytes, so a change shows after
 * the publisher's next run (every second) and the nodes' cache (two seconds): the tests
 * wait for it, for at most {@link #SHOWS_WITHIN}.
 */
class RevocationTest extends IntegrationTest {

	/** Publisher interval plus cache time, with room for a busy machine. */
	static final Duration SHOWS_WITHIN = Duration.ofSeconds(6);

	@Test
	void revokedCertificateIsListedOnTheCrlAndReportedRevokedByOcsp() throws Exception {
		List<X509Certificate> chain = collectedChain();
		X509Certificate leaf = chain.get(0);
		String serial = leaf.getSerialNumber().toString(16);
		awaitOcspProduced(chain);
		assertThat(ocspStatus(chain)).isEqualTo("good");
		assertThat(ocspGet(chain)).isNull();

		HttpResponse<String> revoked = postJson("/api/v1/certificates/" + serial + "/revocation",
				Map.of("reason", "keyCompromise"), ADMIN);

		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(body(revoked).get("status").asText()).isEqualTo("REVOKED");
		await().atMost(SHOWS_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			assertThat(crl().isRevoked(leaf)).isTrue();
			assertThat(ocspGet(chain)).isInstanceOf(RevokedStatus.class);
		});
		X509CRL crl = crl();
		crl.verify(chain.get(1).getPublicKey());
		assertThat(crl.getRevokedCertificate(leaf).getRevocationReason()).hasToString("KEY_COMPROMISE");
		opensslCrlListsSerial(chain, serial);
		assertThat(ocspStatus(chain)).isEqualTo("revoked");
		assertThat(ocspGet(chain)).isInstanceOf(RevokedStatus.class);
		assertThat(request(requestOf(serial)).get("status").asText()).isEqualTo("REVOKED");

		HttpResponse<String> again = postJson("/api/v1/certificates/" + serial + "/revocation",
				Map.of("reason", "superseded"), ADMIN);
		assertThat(again.statusCode()).isEqualTo(409);
	}

	@Test
	void certificateRevokedBeforeCollectionCannotBeCollected() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		String serial = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();
		String[] activation = activation(email);

		assertThat(postJson("/api/v1/certificates/" + serial + "/revocation", Map.of("reason", "privilegeWithdrawn"),
				ADMIN)
			.statusCode()).isEqualTo(200);
		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);

		assertThat(collected.statusCode()).isEqualTo(410);
		assertThat(body(collected).get("detail").asText()).contains("revoked");
		assertThat(request(requestId).get("status").asText()).isEqualTo("REVOKED");
	}

	@Test
	void certificateRevokedWhileItsRequestWasStillApprovedIsNotHandedOver() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		String serial = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();
		String[] activation = activation(email);
		// The window between the CA recording the certificate and the request recording
		// its serial: a revocation then finds no request to mark.
		this.jdbc.update("update certificate_request set status = 'APPROVED', certificate_serial = null "
				+ "where request_id = ?", requestId);
		assertThat(postJson("/api/v1/certificates/" + serial + "/revocation", Map.of("reason", "keyCompromise"), ADMIN)
			.statusCode()).isEqualTo(200);
		this.jdbc.update(
				"update certificate_request set status = 'ISSUED', certificate_serial = ? " + "where request_id = ?",
				serial, requestId);

		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);

		assertThat(collected.statusCode()).as(collected.body()).isEqualTo(410);
		assertThat(body(collected).get("detail").asText()).contains("revoked");
		assertThat(collected.body()).doesNotContain("BEGIN CERTIFICATE");
		assertThat(request(requestId).get("status").asText()).isEqualTo("REVOKED");
	}

	@Test
	void aCertificateWhoseRequestExpiredIsNotCollectedAndTheCodeIsNotUsedUp() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		// The activation timer fired a moment before the applicant sent the PIN.
		this.jdbc.update("update certificate_request set status = 'EXPIRED' where request_id = ?", requestId);

		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);

		assertThat(collected.statusCode()).as(collected.body()).isEqualTo(409);
		assertThat(collected.body()).contains("EXPIRED").doesNotContain("BEGIN CERTIFICATE");
		assertThat(this.jdbc.queryForObject("select used_at from activation where request_id = ?", Object.class,
				requestId))
			.isNull();
		assertThat(request(requestId).get("status").asText()).isEqualTo("EXPIRED");
	}

	@Test
	void suspendedCertificateCanBeTakenOffHold() throws Exception {
		List<X509Certificate> chain = collectedChain();
		String serial = chain.get(0).getSerialNumber().toString(16);

		HttpResponse<String> held = postJson("/api/v1/certificates/" + serial + "/revocation",
				Map.of("reason", "certificateHold"), ADMIN);
		assertThat(body(held).get("status").asText()).isEqualTo("ON_HOLD");
		await().atMost(SHOWS_WITHIN).untilAsserted(() -> {
			assertThat(crl().isRevoked(chain.get(0))).isTrue();
			assertThat(ocspGet(chain)).isInstanceOf(RevokedStatus.class);
		});

		HttpResponse<String> released = send(authenticated(
				HttpRequest.newBuilder(url("/api/v1/certificates/" + serial + "/revocation")).DELETE(), ADMIN));
		assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
		assertThat(body(released).get("status").asText()).isEqualTo("GOOD");
		await().atMost(SHOWS_WITHIN).untilAsserted(() -> {
			assertThat(crl().isRevoked(chain.get(0))).isFalse();
			assertThat(ocspGet(chain)).isNull();
		});
		assertThat(ocspStatus(chain)).isEqualTo("good");

		HttpResponse<String> notHeld = send(authenticated(
				HttpRequest.newBuilder(url("/api/v1/certificates/" + serial + "/revocation")).DELETE(), ADMIN));
		assertThat(notHeld.statusCode()).isEqualTo(409);
	}

	@Test
	void acceptsTheSerialAsOpensslPrintsItInAnyCaseWithOrWithoutColons() throws Exception {
		List<X509Certificate> chain = collectedChain();
		String serial = chain.get(0).getSerialNumber().toString(16);
		requireOpenssl();
		String printed = openssl("x509", "-noout", "-serial", "-in", pems(chain).resolve("leaf.pem").toString())
			.strip();
		assertThat(printed).startsWith("serial=");
		String upper = printed.substring("serial=".length());
		assertThat(upper).isUpperCase();
		String colons = String.join(":", upper.split("(?<=\\G..)"));

		for (String form : new String[] { upper, colons, colons.toLowerCase(), serial }) {
			HttpResponse<String> status = get("/api/v1/certificates/" + form, ADMIN);
			assertThat(status.statusCode()).as(form + ": " + status.body()).isEqualTo(200);
			assertThat(body(status).get("serial").asText()).isEqualTo(serial);
		}
		HttpResponse<String> held = postJson("/api/v1/certificates/" + upper + "/revocation",
				Map.of("reason", "certificateHold"), ADMIN);
		assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
		assertThat(body(held).get("status").asText()).isEqualTo("ON_HOLD");
		HttpResponse<String> released = send(authenticated(
				HttpRequest.newBuilder(url("/api/v1/certificates/" + colons + "/revocation")).DELETE(), ADMIN));
		assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
		HttpResponse<String> revoked = postJson("/api/v1/certificates/" + colons.toLowerCase() + "/revocation",
				Map.of("reason", "superseded"), ADMIN);
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(body(revoked).get("serial").asText()).isEqualTo(serial);
		assertThat(request(requestOf(serial)).get("status").asText()).isEqualTo("REVOKED");
	}

	@Test
	void revocationRefusesBadInputWithAMessage() {
		HttpResponse<String> unknown = postJson("/api/v1/certificates/abc123/revocation",
				Map.of("reason", "keyCompromise"), ADMIN);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(body(unknown).get("detail").asText()).contains("abc123");

		HttpResponse<String> badSerial = postJson("/api/v1/certificates/not-hex/revocation",
				Map.of("reason", "keyCompromise"), ADMIN);
		assertThat(badSerial.statusCode()).isEqualTo(400);
		assertThat(body(badSerial).get("detail").asText()).contains("in hex");

		HttpResponse<String> badReason = postJson("/api/v1/certificates/abc123/revocation", Map.of("reason", "boredom"),
				ADMIN);
		assertThat(badReason.statusCode()).isEqualTo(400);
		assertThat(body(badReason).get("detail").asText()).contains("keyCompromise");

		for (String bad : new String[] { "xyz", "AB:C", "AB::CD", "%20", "0x1f", "A".repeat(43) }) {
			HttpResponse<String> statusOfBadSerial = get("/api/v1/certificates/" + bad, ADMIN);
			assertThat(statusOfBadSerial.statusCode()).as(bad).isEqualTo(400);
			assertThat(body(statusOfBadSerial).get("detail").asText()).contains("in hex");
			HttpResponse<String> unsuspendBad = send(authenticated(
					HttpRequest.newBuilder(url("/api/v1/certificates/" + bad + "/revocation")).DELETE(), ADMIN));
			assertThat(unsuspendBad.statusCode()).as(bad).isEqualTo(400);
		}
		assertThat(get("/api/v1/certificates/AB:CD", ADMIN).statusCode()).isEqualTo(404);
		assertThat(get("/api/v1/certificates/abc123", ADMIN).statusCode()).isEqualTo(404);
		HttpResponse<String> unsuspendUnknown = send(
				authenticated(HttpRequest.newBuilder(url("/api/v1/certificates/abc123/revocation")).DELETE(), ADMIN));
		assertThat(unsuspendUnknown.statusCode()).isEqualTo(404);
		assertThat(body(unsuspendUnknown).get("detail").asText()).contains("abc123");

		assertThat(postJson("/api/v1/certificates/abc123/revocation", Map.of("reason", "keyCompromise"), null)
			.statusCode()).isEqualTo(401);
		assertThat(postJson("/api/v1/certificates/abc123/revocation", Map.of("reason", "keyCompromise"), OFFICER)
			.statusCode()).isEqualTo(403);
	}

	@Test
	void malformedOcspRequestGetsAnOcspErrorResponse() throws Exception {
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(url("/ocsp"))
			.header("Content-Type", "application/ocsp-request")
			.POST(HttpRequest.BodyPublishers.ofByteArray("not der".getBytes(StandardCharsets.US_ASCII)))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new OCSPResp(response.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);

		// Over GET, with an encoded '/' as base64 often has: still an OCSP answer, not an
		// HTTP error.
		HttpResponse<byte[]> viaGet = this.http.send(
				HttpRequest.newBuilder(url("/ocsp/MEIwQDA%2FMDwwOjAJBgUrDg")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(viaGet.statusCode()).isEqualTo(200);
		assertThat(new OCSPResp(viaGet.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
	}

	@Test
	void nonceAndNonNonceRequestsGetTheSamePreProducedSignedResponse() throws Exception {
		List<X509Certificate> chain = collectedChain();
		awaitOcspProduced(chain);
		CertificateID sha1 = certificateId(chain, CertificateID.HASH_SHA1);

		byte[] plain = ocspPost(new OCSPReqBuilder().addRequest(sha1).build().getEncoded());
		byte[] withNonce = ocspPost(withNonce(sha1));
		byte[] withOtherNonce = ocspPost(withNonce(sha1));

		assertThat(withNonce).isEqualTo(plain);
		assertThat(withOtherNonce).isEqualTo(plain);
		BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(plain).getResponseObject();
		assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(chain.get(1).getPublicKey())))
			.isTrue();
		assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();
		assertThat(basic.getResponses()[0].getCertID()).isEqualTo(sha1);
		assertThat(basic.getResponses()[0].getNextUpdate()).isAfter(basic.getResponses()[0].getThisUpdate());

		// A SHA-256 CertID gets the response that names it.
		CertificateID sha256 = certificateId(chain,
				new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE));
		BasicOCSPResp bySha256 = (BasicOCSPResp) new OCSPResp(
				ocspPost(new OCSPReqBuilder().addRequest(sha256).build().getEncoded()))
			.getResponseObject();
		assertThat(bySha256.getResponses()[0].getCertID()).isEqualTo(sha256);

		// openssl sends a nonce by default and accepts the response without one.
		requireOpenssl();
		Path dir = pems(chain);
		String output = openssl("ocsp", "-issuer", dir.resolve("issuing.pem").toString(), "-cert",
				dir.resolve("leaf.pem").toString(), "-url", url("/ocsp").toString(), "-CAfile",
				dir.resolve("root.pem").toString(), "-no_nonce");
		assertThat(output).contains("Response verify OK").contains(dir.resolve("leaf.pem") + ": good");
	}

	@Test
	void ocspRefusesUnknownSerialsAndRequestsForMoreThanOneCertificate() throws Exception {
		List<X509Certificate> chain = collectedChain();
		awaitOcspProduced(chain);
		CertificateID known = certificateId(chain, CertificateID.HASH_SHA1);
		CertificateID unknown = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(chain.get(1)), BigInteger.valueOf(0x5eed));

		assertThat(new OCSPResp(ocspPost(new OCSPReqBuilder().addRequest(unknown).build().getEncoded())).getStatus())
			.isEqualTo(OCSPResp.UNAUTHORIZED);
		assertThat(new OCSPResp(ocspPost(new OCSPReqBuilder().addRequest(known).addRequest(known).build().getEncoded()))
			.getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
	}

	@Test
	void caMaterialIsPublishedAtTheUrlsTheCertificatesCarry() throws Exception {
		List<X509Certificate> chain = collectedChain();
		HttpResponse<String> pem = get("/ca/chain.pem", null);
		assertThat(pem.statusCode()).isEqualTo(200);
		assertThat(IssuancePathTest.certificates(pem.body())).containsExactly(chain.get(1), chain.get(2));
		HttpResponse<byte[]> issuing = this.http.send(HttpRequest.newBuilder(url("/ca/issuing-ca.cer")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(issuing.headers().firstValue("Content-Type")).hasValue("application/pkix-cert");
		assertThat(issuing.body()).isEqualTo(chain.get(1).getEncoded());
		assertThat(new String(chain.get(0).getExtensionValue("1.3.6.1.5.5.7.1.1"), StandardCharsets.ISO_8859_1))
			.contains("/ocsp", "/ca/issuing-ca.cer");

		// The root's CRL, at the distribution point the issuing CA certificate names.
		assertThat(new String(chain.get(1).getExtensionValue("2.5.29.31"), StandardCharsets.ISO_8859_1))
			.contains("/ca/root.crl");
		HttpResponse<byte[]> rootCrl = this.http.send(HttpRequest.newBuilder(url("/ca/root.crl")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(rootCrl.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
		X509CRL arl = (X509CRL) CertificateFactory.getInstance("X.509")
			.generateCRL(new ByteArrayInputStream(rootCrl.body()));
		arl.verify(chain.get(2).getPublicKey());
		assertThat(arl.isRevoked(chain.get(1))).isFalse();
	}

	/** A new certificate's responses are signed within the publisher's interval. */
	private void awaitOcspProduced(List<X509Certificate> chain) throws Exception {
		byte[] request = new OCSPReqBuilder().addRequest(certificateId(chain, CertificateID.HASH_SHA1))
			.build()
			.getEncoded();
		await().atMost(SHOWS_WITHIN)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> new OCSPResp(ocspPost(request)).getStatus() == OCSPResp.SUCCESSFUL);
	}

	private static CertificateID certificateId(List<X509Certificate> chain, AlgorithmIdentifier hash) throws Exception {
		return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(hash),
				new JcaX509CertificateHolder(chain.get(1)), chain.get(0).getSerialNumber());
	}

	private static byte[] withNonce(CertificateID id) throws Exception {
		byte[] nonce = new byte[16];
		new SecureRandom().nextBytes(nonce);
		OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
		builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
				new DEROctetString(new DEROctetString(nonce)))));
		return builder.build().getEncoded();
	}

	private byte[] ocspPost(byte[] request) throws Exception {
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(url("/ocsp"))
			.header("Content-Type", "application/ocsp-request")
			.POST(HttpRequest.BodyPublishers.ofByteArray(request))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
		return response.body();
	}

	@Test
	void ocspOverGetIsCacheableUntilNextUpdateAndTheAnswerChangesWithTheStatus() throws Exception {
		List<X509Certificate> chain = collectedChain();
		awaitOcspProduced(chain);
		HttpResponse<byte[]> first = ocspGetResponse(chain);
		BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(first.body()).getResponseObject();
		java.time.Instant thisUpdate = basic.getResponses()[0].getThisUpdate().toInstant();
		java.time.Instant nextUpdate = basic.getResponses()[0].getNextUpdate().toInstant();

		String cacheControl = first.headers().firstValue("Cache-Control").orElseThrow();
		assertThat(cacheControl).contains("public").contains("no-transform").contains("must-revalidate");
		long maxAge = Long.parseLong(cacheControl.replaceAll(".*max-age=(\\d+).*", "$1"));
		assertThat(maxAge).isPositive()
			.isLessThanOrEqualTo(Duration.ofHours(1).toSeconds())
			.isLessThanOrEqualTo(Duration.between(java.time.Instant.now(), nextUpdate).toSeconds() + 1);
		java.time.format.DateTimeFormatter http = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME;
		assertThat(java.time.ZonedDateTime.parse(first.headers().firstValue("Last-Modified").orElseThrow(), http)
			.toInstant()).isEqualTo(thisUpdate.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
		assertThat(java.time.ZonedDateTime.parse(first.headers().firstValue("Expires").orElseThrow(), http).toInstant())
			.isBeforeOrEqualTo(nextUpdate);
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).matches("\"[0-9a-f]{32}\"");
		assertThat(ocspGetResponse(chain).headers().firstValue("ETag")).hasValue(etag);

		// POST answers and error answers are not for caches.
		HttpResponse<byte[]> post = this.http.send(HttpRequest.newBuilder(url("/ocsp"))
			.header("Content-Type", "application/ocsp-request")
			.POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest(chain)))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(post.headers().firstValue("Cache-Control")).hasValue("no-store");
		HttpResponse<byte[]> malformed = this.http.send(HttpRequest.newBuilder(url("/ocsp/AAAA")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(new OCSPResp(malformed.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
		assertThat(malformed.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(malformed.headers().firstValue("ETag")).isEmpty();

		String serial = chain.get(0).getSerialNumber().toString(16);
		assertThat(postJson("/api/v1/certificates/" + serial + "/revocation", Map.of("reason", "keyCompromise"), ADMIN)
			.statusCode()).isEqualTo(200);
		await().atMost(SHOWS_WITHIN)
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(ocspGetResponse(chain).headers().firstValue("ETag")).isPresent()
				.isNotEqualTo(java.util.Optional.of(etag)));
	}

	private byte[] ocspRequest(List<X509Certificate> chain) throws Exception {
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(chain.get(1)), chain.get(0).getSerialNumber());
		return new OCSPReqBuilder().addRequest(id).build().getEncoded();
	}

	private HttpResponse<byte[]> ocspGetResponse(List<X509Certificate> chain) throws Exception {
		String path = "/ocsp/"
				+ URLEncoder.encode(Base64.getEncoder().encodeToString(ocspRequest(chain)), StandardCharsets.US_ASCII);
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(url(path)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private String requestOf(String serial) {
		return this.jdbc.queryForObject("select request_id from certificate_request where certificate_serial = ?",
				String.class, serial);
	}

	private List<X509Certificate> collectedChain() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);
		return IssuancePathTest.certificates(collected.body());
	}

	private X509CRL crl() throws Exception {
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(url("/ca/crl")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
		return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(response.body()));
	}

	/**
	 * Asks over GET, with the request base64 and URL-encoded in the path; null means
	 * good.
	 */
	private Object ocspGet(List<X509Certificate> chain) throws Exception {
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(chain.get(1)), chain.get(0).getSerialNumber());
		byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
		String path = "/ocsp/"
				+ URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.US_ASCII);
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(url(path)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		OCSPResp ocsp = new OCSPResp(response.body());
		assertThat(ocsp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		return ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0].getCertStatus();
	}

	/** openssl ocsp over POST against our responder; returns good, revoked or unknown. */
	private String ocspStatus(List<X509Certificate> chain) throws Exception {
		requireOpenssl();
		Path dir = pems(chain);
		String output = openssl("ocsp", "-issuer", dir.resolve("issuing.pem").toString(), "-cert",
				dir.resolve("leaf.pem").toString(), "-url", url("/ocsp").toString(), "-CAfile",
				dir.resolve("root.pem").toString());
		assertThat(output).contains("Response verify OK");
		String line = output.lines()
			.filter((l) -> l.startsWith(dir.resolve("leaf.pem").toString()))
			.findFirst()
			.orElseThrow();
		return line.substring(line.indexOf(':') + 1).trim();
	}

	private void opensslCrlListsSerial(List<X509Certificate> chain, String serial) throws Exception {
		requireOpenssl();
		Path dir = pems(chain);
		Path crl = dir.resolve("ca.crl");
		Files.write(crl,
				this.http.send(HttpRequest.newBuilder(url("/ca/crl")).build(), HttpResponse.BodyHandlers.ofByteArray())
					.body());
		Files.writeString(dir.resolve("cas.pem"),
				Files.readString(dir.resolve("issuing.pem")) + Files.readString(dir.resolve("root.pem")));
		String output = openssl("crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
				dir.resolve("cas.pem").toString(), "-noout", "-text");
		assertThat(output).contains("verify OK");
		assertThat(output.toLowerCase().replace(":", "")).contains(serial);
	}

	private static Path pems(List<X509Certificate> chain) throws Exception {
		Path dir = Files.createTempDirectory("certflow-revocation");
		Files.writeString(dir.resolve("leaf.pem"), pem(chain.get(0)));
		Files.writeString(dir.resolve("issuing.pem"), pem(chain.get(1)));
		Files.writeString(dir.resolve("root.pem"), pem(chain.get(2)));
		return dir;
	}

	private static void requireOpenssl() {
		Tools.requireOpenssl();
	}

	private static String openssl(String... args) throws Exception {
		String[] command = new String[args.length + 1];
		command[0] = "openssl";
		System.arraycopy(args, 0, command, 1, args.length);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
