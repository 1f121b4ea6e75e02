package org.certflow.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The yardstick's only work besides the engine's: sign one end-entity certificate with
 * Bouncy Castle, with the extensions an S/MIME certificate carries, for a subscriber key
 * made once (in CertFlow the applicant makes the key, not the CA). Nothing is stored: the
 * yardstick measures what the engine costs around one signature.
 */
final class SignOneCertificate implements JavaDelegate {

	private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

	private static final Duration VALIDITY = Duration.ofDays(365);

	private final SecureRandom random = new SecureRandom();

	private final KeyPair caKey;

	private final SigningKey caKeyType;

	private final X500Name issuer = new X500Name("C=DE,O=CertFlow,CN=CertFlow Yardstick Issuing CA");

	private final KeyPair subscriberKey = SigningKey.EC_P256.generate();

	private final JcaX509ExtensionUtils extensions;

	private volatile long signedBytes;

	SignOneCertificate(SigningKey caKeyType) {
		this.caKeyType = caKeyType;
		this.caKey = caKeyType.generate();
		try {
			this.extensions = new JcaX509ExtensionUtils();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void execute(DelegateExecution execution) throws IOException, OperatorCreationException {
		Instant now = Instant.now();
		String mailbox = execution.getBusinessKey() + "@example.org";
		X509v3CertificateBuilder certificate = new JcaX509v3CertificateBuilder(this.issuer,
				new BigInteger(128, this.random), Date.from(now), Date.from(now.plus(VALIDITY)),
				new X500Name("CN=Yardstick " + execution.getBusinessKey()), this.subscriberKey.getPublic())
			.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
			.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
			.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(
							new KeyPurposeId[] { KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_clientAuth }))
			.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName(GeneralName.rfc822Name, mailbox)))
			.addExtension(Extension.subjectKeyIdentifier, false,
					this.extensions.createSubjectKeyIdentifier(this.subscriberKey.getPublic()))
			.addExtension(Extension.authorityKeyIdentifier, false,
					this.extensions.createAuthorityKeyIdentifier(this.caKey.getPublic()));
		byte[] der = certificate
			.build(new JcaContentSignerBuilder(this.caKeyType.signatureAlgorithm()).setProvider(PROVIDER)
				.build(this.caKey.getPrivate()))
			.getEncoded();
		// Kept so that the signature cannot be optimised away.
		this.signedBytes += der.length;
	}

	long signedBytes() {
		return this.signedBytes;
	}

}
