package org.certflow.ca;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RevocationTest {

	@TempDir
	static Path dataDir;

	static RevocableCertificateAuthority ca;

	static X509Certificate issuingCa;

	static int counter;

	static InMemoryIssuanceJournal journal;

	@BeforeAll
	static void setUp() {
		journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(), journal, journal);
		issuingCa = ca.caChain().get(0);
	}

	@AfterAll
	static void leaveForZlint() {
		ZlintInput.collect(journal, ca);
	}

	static IssuedCertificate issue() {
		counter++;
		return ca.issue(new IssuanceRequest("rev-" + counter, TestSupport.csr(TestSupport.ecKey("secp256r1")),
				"standard", SubjectData.of("User " + counter, "user" + counter + "@example.org")));
	}

	@Test
	void revokedCertificateAppearsOnTheNextCrlWithItsReason() throws Exception {
		IssuedCertificate cert = issue();
		X509CRL before = crl();

		ca.revoke(cert.serial(), RevocationReason.KEY_COMPROMISE);

		X509CRL after = crl();
		after.verify(issuingCa.getPublicKey());
		X509CRLEntry entry = after.getRevokedCertificate(cert.serial());
		assertThat(entry).isNotNull();
		assertThat(entry.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
		assertThat(crlNumber(after)).isGreaterThan(crlNumber(before));
		assertThat(after.getNextUpdate()).isAfter(after.getThisUpdate());
		assertThat(after.getIssuerX500Principal()).isEqualTo(issuingCa.getSubjectX500Principal());
	}

	@Test
	void unspecifiedReasonIsLeftOutOfTheCrlEntry() throws Exception {
		IssuedCertificate cert = issue();
		ca.revoke(cert.serial(), RevocationReason.UNSPECIFIED);
		assertThat(crl().getRevokedCertificate(cert.serial()).getRevocationReason()).isNull();
	}

	@Test
	void everyProducedCrlHasTheNextNumberAndTheStatusStoredAtThatMoment() throws Exception {
		SignedCrl first = ca.produceCrl();
		IssuedCertificate cert = issue();
		ca.suspend(cert.serial());

		SignedCrl second = ca.produceCrl();

		assertThat(second.number()).isGreaterThan(first.number());
		assertThat(crlNumber(crl(second.der()))).isEqualTo(second.number());
		assertThat(crl(second.der()).getThisUpdate().toInstant()).isEqualTo(second.thisUpdate());
		assertThat(crl(second.der()).getNextUpdate().toInstant()).isEqualTo(second.nextUpdate());
		assertThat(crl(first.der()).getRevokedCertificate(cert.serial())).isNull();
		assertThat(crl(second.der()).getRevokedCertificate(cert.serial())).isNotNull();
	}

	@Test
	void suspendedCertificateIsOnHoldAndGoodAgainAfterUnsuspend() throws Exception {
		IssuedCertificate cert = issue();
		ca.suspend(cert.serial());
		assertThat(crl().getRevokedCertificate(cert.serial()).getRevocationReason())
			.isEqualTo(java.security.cert.CRLReason.CERTIFICATE_HOLD);
		assertThat(ocspStatus(cert)).isInstanceOf(RevokedStatus.class);

		ca.unsuspend(cert.serial());

		assertThat(crl().getRevokedCertificate(cert.serial())).isNull();
		assertThat(ocspStatus(cert)).isEqualTo(CertificateStatus.GOOD);
	}

	@Test
	void certificateOnHoldCanBeRevokedForGoodKeepingTheHoldDate() throws Exception {
		IssuedCertificate cert = issue();
		ca.suspend(cert.serial());
		java.time.Instant held = ca.status(cert.serial()).orElseThrow().revokedAt();
		ca.revoke(cert.serial(), RevocationReason.SUPERSEDED);
		RevocationRegistry.CertificateStatus status = ca.status(cert.serial()).orElseThrow();
		assertThat(status.reason()).isEqualTo(RevocationReason.SUPERSEDED);
		assertThat(status.revokedAt()).isEqualTo(held);
	}

	@Test
	void revokingTwiceIsRefusedUnlessEscalatingToKeyCompromise() {
		IssuedCertificate cert = issue();
		ca.revoke(cert.serial(), RevocationReason.SUPERSEDED);
		assertThatThrownBy(() -> ca.revoke(cert.serial(), RevocationReason.AFFILIATION_CHANGED)).isInstanceOfSatisfying(
				RevocationRefusedException.class,
				(e) -> assertThat(e.kind()).isEqualTo(RevocationRefusedException.Kind.ALREADY_REVOKED));
		ca.revoke(cert.serial(), RevocationReason.KEY_COMPROMISE);
		assertThat(ca.status(cert.serial()).orElseThrow().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
	}

	@Test
	void refusesToRevokeAnUnknownSerial() {
		assertThatThrownBy(() -> ca.revoke(BigInteger.valueOf(42), RevocationReason.UNSPECIFIED))
			.isInstanceOfSatisfying(RevocationRefusedException.class,
					(e) -> assertThat(e.kind()).isEqualTo(RevocationRefusedException.Kind.UNKNOWN_CERTIFICATE));
	}

	@Test
	void refusesCertificateHoldThroughRevokeAndCaReasons() {
		IssuedCertificate cert = issue();
		assertThatThrownBy(() -> ca.revoke(cert.serial(), RevocationReason.CERTIFICATE_HOLD)).isInstanceOfSatisfying(
				RevocationRefusedException.class,
				(e) -> assertThat(e.kind()).isEqualTo(RevocationRefusedException.Kind.REASON_NOT_ALLOWED));
		assertThatThrownBy(() -> ca.revoke(cert.serial(), RevocationReason.CA_COMPROMISE))
			.isInstanceOf(RevocationRefusedException.class);
	}

	@Test
	void refusesToUnsuspendACertificateThatIsNotOnHold() {
		IssuedCertificate cert = issue();
		assertThatThrownBy(() -> ca.unsuspend(cert.serial())).isInstanceOfSatisfying(RevocationRefusedException.class,
				(e) -> assertThat(e.kind()).isEqualTo(RevocationRefusedException.Kind.NOT_ON_HOLD));
	}

	@Test
	void ocspSaysGoodThenRevokedAfterRevocation() throws Exception {
		IssuedCertificate cert = issue();
		assertThat(ocspStatus(cert)).isEqualTo(CertificateStatus.GOOD);
		ca.revoke(cert.serial(), RevocationReason.KEY_COMPROMISE);
		CertificateStatus status = ocspStatus(cert);
		assertThat(status).isInstanceOf(RevokedStatus.class);
		assertThat(((RevokedStatus) status).getRevocationReason()).isEqualTo(1);
	}

	@Test
	void producesNoOcspResponseForASerialThisCaNeverIssued() {
		assertThat(ca.produceOcsp(BigInteger.valueOf(123456789))).isEmpty();
	}

	@Test
	void producedOcspResponsesNameBothCertIdHashesWithoutNonceAndLastTheOcspValidity() throws Exception {
		IssuedCertificate cert = issue();

		PreProducedOcsp produced = ca.produceOcsp(cert.serial()).orElseThrow();

		BasicOCSPResp sha1 = basic(produced.sha1Response());
		BasicOCSPResp sha256 = basic(produced.sha256Response());
		assertThat(sha1.getResponses()[0].getCertID()).isEqualTo(certId(cert));
		CertificateID sha256Id = sha256.getResponses()[0].getCertID();
		assertThat(sha256Id.getHashAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha256);
		assertThat(sha256Id.matchesIssuer(new JcaX509CertificateHolder(issuingCa),
				new JcaDigestCalculatorProviderBuilder().build()))
			.isTrue();
		assertThat(sha256Id.getSerialNumber()).isEqualTo(cert.serial());
		for (BasicOCSPResp resp : new BasicOCSPResp[] { sha1, sha256 }) {
			assertThat(resp.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuingCa.getPublicKey())))
				.isTrue();
			assertThat(resp.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();
			assertThat(resp.getResponses()[0].getThisUpdate().toInstant()).isEqualTo(produced.thisUpdate());
			assertThat(resp.getResponses()[0].getNextUpdate().toInstant()).isEqualTo(produced.nextUpdate());
			assertThat(resp.getProducedAt().toInstant()).isEqualTo(produced.thisUpdate());
		}
		assertThat(java.time.Duration.between(produced.thisUpdate(), produced.nextUpdate()))
			.isEqualTo(java.time.Duration.ofDays(4));
	}

	@Test
	void chainPemHoldsTheIssuingCaThenTheRoot() throws Exception {
		java.util.Collection<?> certs = CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(ca.caChainPem().getBytes()));
		assertThat(new java.util.ArrayList<Object>(certs)).containsExactlyElementsOf(ca.caChain());
	}

	static CertificateID certId(IssuedCertificate cert) throws Exception {
		return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(issuingCa), cert.serial());
	}

	/**
	 * What a relying party would get right now: a response produced for the current
	 * status and served by the keyless server.
	 */
	static byte[] ocspNow(RevocableCertificateAuthority authority, byte[] request) {
		return new OcspServer(authority.caChain().get(0),
				(serial, hash) -> authority.produceOcsp(serial)
					.map((p) -> (hash == OcspServer.CertIdHash.SHA1) ? p.sha1Response() : p.sha256Response())
					.orElse(null))
			.respond(request);
	}

	static CertificateStatus ocspStatus(IssuedCertificate cert) throws Exception {
		BasicOCSPResp resp = basic(ocspNow(ca, new OCSPReqBuilder().addRequest(certId(cert)).build().getEncoded()));
		assertThat(resp.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuingCa.getPublicKey())))
			.isTrue();
		return resp.getResponses()[0].getCertStatus();
	}

	static BasicOCSPResp basic(byte[] der) throws Exception {
		OCSPResp resp = new OCSPResp(der);
		assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		return (BasicOCSPResp) resp.getResponseObject();
	}

	static X509CRL crl() throws Exception {
		return crl(ca.produceCrl().der());
	}

	static X509CRL crl(byte[] der) throws Exception {
		return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
	}

	static BigInteger crlNumber(X509CRL crl) {
		byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
		return CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
	}

}
