package org.certflow.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The issuing CA's signing key and certificates. The private key may live in a PKCS#11
 * token; it is only ever used through {@link #sign(byte[])} and never leaves this object.
 * The root key is here only when a PKCS#12 store holds it under alias {@code root}, as
 * the one CertFlow creates does: a root is normally kept offline, so imported stores
 * usually lack it and a token is never asked for it.
 */
final class CaKeys {

	private final PrivateKey issuingKey;

	private final Provider signingProvider;

	private final String signatureAlgorithm;

	private final AlgorithmIdentifier signatureAlgorithmId;

	private final X509Certificate issuingCertificate;

	private final X509Certificate rootCertificate;

	private final X500Name issuerName;

	private final byte[] issuerKeyId;

	private final byte[] issuerNameDer;

	private final PrivateKey rootKey;

	CaKeys(PrivateKey issuingKey, Provider signingProvider, X509Certificate issuingCertificate,
			X509Certificate rootCertificate) {
		this(issuingKey, signingProvider, issuingCertificate, rootCertificate, null);
	}

	CaKeys(PrivateKey issuingKey, Provider signingProvider, X509Certificate issuingCertificate,
			X509Certificate rootCertificate, PrivateKey rootKey) {
		this.rootKey = rootKey;
		this.issuingKey = issuingKey;
		this.signingProvider = signingProvider;
		this.issuingCertificate = issuingCertificate;
		this.rootCertificate = rootCertificate;
		this.signatureAlgorithm = CaKeyAlgorithm.signatureAlgorithmFor(issuingCertificate.getPublicKey());
		this.signatureAlgorithmId = new DefaultSignatureAlgorithmIdentifierFinder().find(this.signatureAlgorithm);
		this.issuerNameDer = issuingCertificate.getSubjectX500Principal().getEncoded();
		this.issuerName = X500Name.getInstance(this.issuerNameDer);
		byte[] ski = issuingCertificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
		if (ski == null) {
			throw new CaConfigurationException("issuing CA certificate", "has no subject key identifier");
		}
		this.issuerKeyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
			.getKeyIdentifier();
	}

	/**
	 * Signs with the issuing CA key. A new {@link Signature} per call keeps concurrent
	 * issuance safe without locking.
	 * @param data the to-be-signed bytes
	 * @return the signature value
	 */
	byte[] sign(byte[] data) {
		try {
			Signature s = Signature.getInstance(this.signatureAlgorithm, this.signingProvider);
			s.initSign(this.issuingKey);
			s.update(data);
			return s.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the issuing CA key failed to sign", ex);
		}
	}

	/**
	 * A Bouncy Castle content signer over the issuing key, for CRLs and OCSP responses.
	 * One per use: it holds a {@link Signature} in progress.
	 * @return the signer
	 */
	ContentSigner contentSigner() {
		try {
			return new JcaContentSignerBuilder(this.signatureAlgorithm).setProvider(this.signingProvider)
				.build(this.issuingKey);
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException("the issuing CA key cannot sign", ex);
		}
	}

	PrivateKey issuingKey() {
		return this.issuingKey;
	}

	Provider signingProvider() {
		return this.signingProvider;
	}

	String signatureAlgorithm() {
		return this.signatureAlgorithm;
	}

	AlgorithmIdentifier signatureAlgorithmId() {
		return this.signatureAlgorithmId;
	}

	X509Certificate issuingCertificate() {
		return this.issuingCertificate;
	}

	X509Certificate rootCertificate() {
		return this.rootCertificate;
	}

	/**
	 * The root CA's private key, a Bouncy Castle key like the issuing key of a PKCS#12
	 * store.
	 * @return the key, empty when the root is offline
	 */
	Optional<PrivateKey> rootKey() {
		return Optional.ofNullable(this.rootKey);
	}

	X500Name issuerName() {
		return this.issuerName;
	}

	/**
	 * The issuer DN in the RFC 2253 form used as the journal's issuer key.
	 * @return the issuer DN
	 */
	String issuerDn() {
		return this.issuingCertificate.getSubjectX500Principal().getName();
	}

	/**
	 * The issuing CA's subject exactly as encoded in its certificate.
	 * @return DER of the name
	 */
	byte[] issuerNameDer() {
		return this.issuerNameDer.clone();
	}

	byte[] issuerKeyId() {
		return this.issuerKeyId.clone();
	}

	List<X509Certificate> chain() {
		return List.of(this.issuingCertificate, this.rootCertificate);
	}

}
