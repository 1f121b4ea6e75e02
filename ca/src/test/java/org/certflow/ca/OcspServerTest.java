package org.certflow.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyless OCSP server: it answers from responses the CA produced earlier and gets
 * nothing but the issuing CA certificate and a map of stored responses, as an RA node
 * does.
 */
class OcspServerTest {

	@TempDir
	static Path dataDir;

	static RevocableCertificateAuthority ca;

	static X509Certificate issuingCa;

	static BigInteger good;

	static BigInteger revoked;

	/** What the signer stored, by serial and CertID hash. */
	static final Map<String, byte[]> stored = new ConcurrentHashMap<>();

	/** The server under test: built from public data only. */
	static OcspServer server;

	@BeforeAll
	static void produceResponsesWithTheKeyThenServeWithoutIt() {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(), journal, journal);
		issuingCa = ca.caChain().get(0);
		good = issue("ocsp-good");
		revoked = issue("ocsp-revoked");
		ca.revoke(revoked, RevocationReason.KEY_COMPROMISE);
		for (BigInteger serial : new BigInteger[] { good, revoked }) {
			PreProducedOcsp produced = ca.produceOcsp(serial).orElseThrow();
			stored.put(key(serial, OcspServer.CertIdHash.SHA1), produced.sha1Response());
			stored.put(key(serial, OcspServer.CertIdHash.SHA256), produced.sha256Response());
		}
		server = new OcspServer(issuingCa, (serial, hash) -> stored.get(key(serial, hash)));
	}

	private static BigInteger issue(String requestId) {
		return ca
			.issue(new IssuanceRequest(requestId, TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Olga Ocsp", requestId + "@example.org")))
			.serial();
	}

	private static String key(BigInteger serial, OcspServer.CertIdHash hash) {
		return serial.toString(16) + "/" + hash;
	}

	@Test
	void answersASha1RequestWithTheStoredSignedResponse() throws Exception {
		byte[] answer = server.respond(request(id(CertificateID.HASH_SHA1, good)));

		assertThat(answer).isEqualTo(stored.get(key(good, OcspServer.CertIdHash.SHA1)));
		BasicOCSPResp basic = basic(answer);
		assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuingCa.getPublicKey())))
			.isTrue();
		assertThat(basic.getResponses()[0].getCertID()).isEqualTo(id(CertificateID.HASH_SHA1, good));
		assertThat(basic.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
	}

	@Test
	void answersASha256RequestWithTheResponseThatNamesASha256CertId() throws Exception {
		AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

		BasicOCSPResp basic = basic(server.respond(request(id(sha256, revoked))));

		CertificateID answered = basic.getResponses()[0].getCertID();
		assertThat(answered.getHashAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha256);
		assertThat(answered.getSerialNumber()).isEqualTo(revoked);
		assertThat(answered.matchesIssuer(new JcaX509CertificateHolder(issuingCa),
				new JcaDigestCalculatorProviderBuilder().build()))
			.isTrue();
		assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
		assertThat(((RevokedStatus) basic.getResponses()[0].getCertStatus()).getRevocationReason()).isEqualTo(1);
	}

	@Test
	void aRequestWithANonceGetsThePreProducedResponse() throws Exception {
		for (int i = 0; i < 3; i++) {
			byte[] nonce = new byte[16];
			new SecureRandom().nextBytes(nonce);
			OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id(CertificateID.HASH_SHA1, good));
			builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
					new DEROctetString(new DEROctetString(nonce)))));

			byte[] answer = server.respond(builder.build().getEncoded());

			assertThat(answer).isEqualTo(stored.get(key(good, OcspServer.CertIdHash.SHA1)));
			assertThat(basic(answer).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();
		}
	}

	@Test
	void aSerialWithNoPreProducedResponseIsUnauthorized() throws Exception {
		assertThat(status(server.respond(request(id(CertificateID.HASH_SHA1, BigInteger.valueOf(123456789))))))
			.isEqualTo(OCSPResp.UNAUTHORIZED);
		// Issued, but the signer has not produced its response yet.
		BigInteger fresh = issue("ocsp-fresh");
		assertThat(status(server.respond(request(id(CertificateID.HASH_SHA1, fresh)))))
			.isEqualTo(OCSPResp.UNAUTHORIZED);
	}

	@Test
	void moreThanOneCertificatePerRequestIsMalformed() throws Exception {
		byte[] two = new OCSPReqBuilder().addRequest(id(CertificateID.HASH_SHA1, good))
			.addRequest(id(CertificateID.HASH_SHA1, revoked))
			.build()
			.getEncoded();
		assertThat(status(server.respond(two))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
	}

	@Test
	void garbageIsMalformed() throws Exception {
		byte[] valid = request(id(CertificateID.HASH_SHA1, good));
		byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
		for (byte[] bad : new byte[][] { null, new byte[0], { 0x30, 0x03, 0x02, 0x01, 0x05 }, trailing,
				new byte[OcspServer.MAX_REQUEST_BYTES + 1] }) {
			assertThat(status(server.respond(bad))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
		}
	}

	@Test
	void aCertIdOfAnotherIssuerIsUnauthorized() throws Exception {
		X509Certificate root = ca.caChain().get(1);
		CertificateID other = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(root), good);
		assertThat(status(server.respond(request(other)))).isEqualTo(OCSPResp.UNAUTHORIZED);
	}

	@Test
	void tryLaterIsAnOcspErrorResponse() throws Exception {
		assertThat(status(OcspServer.tryLater())).isEqualTo(OCSPResp.TRY_LATER);
	}

	static CertificateID id(AlgorithmIdentifier hash, BigInteger serial) throws Exception {
		return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(hash),
				new JcaX509CertificateHolder(issuingCa), serial);
	}

	static byte[] request(CertificateID id) throws Exception {
		return new OCSPReqBuilder().addRequest(id).build().getEncoded();
	}

	static int status(byte[] der) throws Exception {
		return new OCSPResp(der).getStatus();
	}

	static BasicOCSPResp basic(byte[] der) throws Exception {
		OCSPResp resp = new OCSPResp(der);
		assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		return (BasicOCSPResp) resp.getResponseObject();
	}

}
