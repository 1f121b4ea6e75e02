package org.certflow.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Creates the CA hierarchy's own certificates and keys. */
final class CaCertificates {

	private CaCertificates() {
	}

	static KeyPair generateKeyPair(CaKeyAlgorithm algorithm, Provider provider, SecureRandom random) {
		try {
			KeyPairGenerator kpg = KeyPairGenerator.getInstance(algorithm.jcaName(), provider);
			if (algorithm.curveName() != null) {
				kpg.initialize(new ECGenParameterSpec(algorithm.curveName()), random);
			}
			else if ("RSA".equals(algorithm.jcaName())) {
				kpg.initialize(algorithm.bits(), random);
			}
			return kpg.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot generate a " + algorithm + " CA key", ex);
		}
	}

	/**
	 * Builds a CA certificate. The issuing CA carries the EKUs of all profiles and the
	 * policy OID, because S/MIME relying parties intersect both down the chain.
	 */
	static X509Certificate caCertificate(X500Name subject, PublicKey subjectKey, X500Name issuer, PublicKey issuerKey,
			PrivateKey signingKey, Provider signingProvider, Instant notBefore, Instant notAfter, boolean root,
			CaSettings settings, SecureRandom random) {
		try {
			SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
			SubjectPublicKeyInfo issuerSpki = SubjectPublicKeyInfo.getInstance(issuerKey.getEncoded());
			X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, Serials.draw(random),
					Date.from(notBefore), Date.from(notAfter), subject, spki);
			b.addExtension(Extension.basicConstraints, true,
					root ? new BasicConstraints(true) : new BasicConstraints(0));
			int usage = KeyUsage.keyCertSign | KeyUsage.cRLSign | (root ? 0 : KeyUsage.digitalSignature);
			b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
			BcX509ExtensionUtils keyIds = new BcX509ExtensionUtils();
			b.addExtension(Extension.subjectKeyIdentifier, false, keyIds.createSubjectKeyIdentifier(spki));
			b.addExtension(Extension.authorityKeyIdentifier, false, keyIds.createAuthorityKeyIdentifier(issuerSpki));
			if (!root) {
				Set<String> ekus = new LinkedHashSet<>();
				settings.profiles().values().forEach((p) -> ekus.addAll(p.extendedKeyUsages()));
				ASN1EncodableVector purposes = new ASN1EncodableVector();
				ekus.forEach((oid) -> purposes.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))));
				b.addExtension(Extension.extendedKeyUsage, false,
						ExtendedKeyUsage.getInstance(new DERSequence(purposes)));
				b.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(
						new PolicyInformation(new ASN1ObjectIdentifier(settings.certificatePolicyOid()))));
				if (settings.rootCrlUrl().isPresent()) {
					b.addExtension(Extension.cRLDistributionPoints, false,
							crlDistributionPoint(settings.rootCrlUrl().get()));
				}
			}
			String sigAlg = CaKeyAlgorithm.signatureAlgorithmFor(issuerKey);
			X509CertificateHolder holder = b
				.build(new JcaContentSignerBuilder(sigAlg).setProvider(signingProvider).build(signingKey));
			return toJdk(holder.getEncoded());
		}
		catch (IOException | OperatorCreationException ex) {
			throw new IllegalStateException("cannot build the CA certificate for " + subject, ex);
		}
	}

	/**
	 * One full-name URI and nothing else, the form the leaf certificates use too: reasons
	 * or a cRLIssuer would make it a partitioned or indirect CRL, which the root's full
	 * CRL is not.
	 */
	static CRLDistPoint crlDistributionPoint(String url) {
		return new CRLDistPoint(
				new DistributionPoint[] { new DistributionPoint(
						new DistributionPointName(
								new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))),
						null, null) });
	}

	/**
	 * RFC 5280 section 4.2.1.2 method 1 (SHA-1 of the subjectPublicKey bits), as Bouncy
	 * Castle computes it. SHA-1 is fine here: the identifier only has to distinguish
	 * keys, not resist collisions. A new utility per call: it holds one digest, which
	 * threads must not share; it costs one small object and no provider lookup.
	 */
	static byte[] keyId(SubjectPublicKeyInfo spki) {
		return new BcX509ExtensionUtils().createSubjectKeyIdentifier(spki).getKeyIdentifier();
	}

	/**
	 * Bouncy Castle's factory: the JDK's also fills a global synchronised cache on every
	 * call, which showed up in issuance profiles. One per thread, because looking a
	 * factory up costs as much as parsing a certificate.
	 */
	private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
		try {
			return CertificateFactory.getInstance("X.509", Bc.PROVIDER);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Bouncy Castle has no X.509 certificate factory", ex);
		}
	});

	static X509Certificate toJdk(byte[] der) {
		try {
			return (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK cannot read a certificate the CA built", ex);
		}
	}

}
