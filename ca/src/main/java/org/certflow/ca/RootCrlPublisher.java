package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root CA's full CRL (ARL). With the root key at hand it is signed here on demand;
 * without it (the usual offline root) an operator publishes one signed elsewhere as
 * {@code <dataDir>/ca/root.crl}, which is checked before it is handed over.
 */
final class RootCrlPublisher {

	static final String ROOT_CRL_FILE = "root.crl";

	private static final Logger log = LoggerFactory.getLogger(RootCrlPublisher.class);

	private final X509Certificate root;

	private final X500Name rootName;

	private final PrivateKey rootKey;

	private final Path file;

	private final RevocationRegistry registry;

	private final Duration validity;

	private final Clock clock;

	RootCrlPublisher(CaKeys keys, Path caDirectory, RevocationRegistry registry, Duration validity, Clock clock) {
		this.root = keys.rootCertificate();
		this.rootName = X500Name.getInstance(this.root.getSubjectX500Principal().getEncoded());
		this.rootKey = keys.rootKey().orElse(null);
		this.file = caDirectory.resolve(ROOT_CRL_FILE);
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
	}

	/**
	 * A new root CRL signed now with the next number, or, with the root key offline, the
	 * operator's file once its signature is checked.
	 * @return the CRL
	 * @throws IllegalStateException when the root key is offline and there is no valid
	 * {@code root.crl}
	 */
	SignedCrl produce() {
		return (this.rootKey != null) ? build() : fromFile();
	}

	private SignedCrl build() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		BigInteger number = this.registry.nextCrlNumber(this.root.getSubjectX500Principal().getName());
		try {
			X509v2CRLBuilder b = new X509v2CRLBuilder(this.rootName, Date.from(now));
			Instant nextUpdate = now.plus(this.validity);
			b.setNextUpdate(Date.from(nextUpdate));
			b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
			b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootKeyId()));
			String algorithm = CaKeyAlgorithm.signatureAlgorithmFor(this.root.getPublicKey());
			byte[] der = b.build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER).build(this.rootKey))
				.getEncoded();
			return new SignedCrl(der, number, now, nextUpdate);
		}
		catch (IOException | OperatorCreationException ex) {
			throw new IllegalStateException("cannot build the root CA's CRL", ex);
		}
	}

	/** The AKI must match the root's SKI as written, which need not be our SHA-1 form. */
	private byte[] rootKeyId() {
		byte[] ski = this.root.getExtensionValue(Extension.subjectKeyIdentifier.getId());
		if (ski != null) {
			return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
		}
		return CaCertificates.keyId(SubjectPublicKeyInfo.getInstance(this.root.getPublicKey().getEncoded()));
	}

	private SignedCrl fromFile() {
		byte[] der;
		try {
			der = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			throw new IllegalStateException("the root CA key is offline (not in the CA key store), so CertFlow cannot "
					+ "sign the root CA's CRL; place the current root CRL (DER) signed by '"
					+ this.root.getSubjectX500Principal().getName() + "' at " + this.file, ex);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the root CA's CRL " + this.file, ex);
		}
		X509CRLHolder crl = check(der);
		Extension number = crl.getExtension(Extension.cRLNumber);
		Instant thisUpdate = crl.getThisUpdate().toInstant();
		// A CRL without nextUpdate is not allowed for CAs (RFC 5280 5.1.2.5); treat it as
		// due for replacement after our own CRL validity.
		Instant nextUpdate = (crl.getNextUpdate() != null) ? crl.getNextUpdate().toInstant()
				: thisUpdate.plus(this.validity);
		return new SignedCrl(der,
				(number != null) ? CRLNumber.getInstance(number.getParsedValue()).getCRLNumber() : BigInteger.ZERO,
				thisUpdate, nextUpdate);
	}

	private X509CRLHolder check(byte[] der) {
		String refused = this.file + " is refused: it is not a DER CRL signed by the root CA '"
				+ this.root.getSubjectX500Principal().getName() + "'";
		X509CRLHolder crl;
		boolean valid;
		try {
			crl = new X509CRLHolder(der);
			valid = crl.getIssuer().equals(this.rootName) && crl.isSignatureValid(
					new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(this.root.getPublicKey()));
		}
		catch (IOException | CertException | OperatorCreationException | RuntimeException ex) {
			// Whatever is wrong with an operator's file, the answer is the same refusal.
			throw new IllegalStateException(refused, ex);
		}
		if (!valid) {
			throw new IllegalStateException(refused);
		}
		if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(this.clock.instant())) {
			log.warn("The root CA's CRL {} is past its nextUpdate {}; relying parties will reject it", this.file,
					crl.getNextUpdate().toInstant());
		}
		return crl;
	}

}
