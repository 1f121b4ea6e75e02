package org.certflow.web;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caching headers follow the response's own dates: max-age never runs past nextUpdate
 * nor past the configured cap, and a response already past its nextUpdate (the signer
 * stopped refreshing) is never offered to caches.
 */
class OcspCachingTest {

	private static final Instant THIS_UPDATE = Instant.parse("2026-11-30T10:00:00Z");

	private static final Instant NEXT_UPDATE = THIS_UPDATE.plus(Duration.ofDays(4));

	@Test
	void maxAgeIsCappedByTheSettingAndByNextUpdate() throws Exception {
		byte[] answer = goodResponse();

		MockHttpServletResponse early = apply(answer, THIS_UPDATE.plusSeconds(60), Duration.ofHours(1), true);
		assertThat(early.getHeader("Cache-Control")).startsWith("max-age=3600,");
		assertThat(early.getHeader("Last-Modified")).isEqualTo("Mon, 30 Nov 2026 10:00:00 GMT");

		MockHttpServletResponse late = apply(answer, NEXT_UPDATE.minusSeconds(90), Duration.ofHours(1), true);
		assertThat(late.getHeader("Cache-Control")).startsWith("max-age=90,");
		assertThat(late.getHeader("Expires")).isEqualTo("Fri, 4 Dec 2026 10:00:00 GMT");
	}

	@Test
	void aResponsePastItsNextUpdateOrSentToAPostIsNotCached() throws Exception {
		byte[] answer = goodResponse();
		assertThat(apply(answer, NEXT_UPDATE.plusSeconds(1), Duration.ofHours(1), true).getHeader("Cache-Control"))
			.isEqualTo("no-store");
		assertThat(apply(answer, THIS_UPDATE.plusSeconds(1), Duration.ofHours(1), false).getHeader("Cache-Control"))
			.isEqualTo("no-store");
		MockHttpServletResponse error = apply(new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded(),
				THIS_UPDATE, Duration.ofHours(1), true);
		assertThat(error.getHeader("Cache-Control")).isEqualTo("no-store");
		assertThat(error.getHeader("ETag")).isNull();
	}

	private static MockHttpServletResponse apply(byte[] answer, Instant now, Duration cap, boolean get) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new OcspCaching(cap, Clock.fixed(now, ZoneOffset.UTC)).apply(answer, response, get);
		return response;
	}

	private static byte[] goodResponse() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		var digests = new JcaDigestCalculatorProviderBuilder().build();
		CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1),
				new org.bouncycastle.cert.X509v1CertificateBuilder(new X500Name("CN=Test CA"), BigInteger.ONE,
						Date.from(THIS_UPDATE), Date.from(NEXT_UPDATE), new X500Name("CN=Test CA"),
						SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()))
					.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())),
				BigInteger.TEN);
		BasicOCSPRespBuilder basic = new BasicOCSPRespBuilder(new RespID(
				SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), digests.get(CertificateID.HASH_SHA1)));
		basic.addResponse(id, CertificateStatus.GOOD, Date.from(THIS_UPDATE), Date.from(NEXT_UPDATE), null);
		return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic.build(
				new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()), null, Date.from(THIS_UPDATE)))
			.getEncoded();
	}

}
