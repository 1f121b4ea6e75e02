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
import java.util.Arrays;
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
 * The root CA's full CRL (ARL). With the root key at hand it is signed here and cached
 * like the issuing CA's CRL; without it (the usual offline root) an operator publishes
 * one signed elsewhere as {@code <dataDir>/ca/root.crl}, which is checked before it is
 * served.
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

	private volatile CrlPublisher.Published current;

	private volatile byte[] verified;

	RootCrlPublisher(CaKeys keys, Path caDirectory, RevocationRegistry registry, Duration validity, Clock clock) {
		this.root = keys.rootCertificate();
		this.rootName = X500Name.getInstance(this.root.getSubjectX500Principal().getEncoded());
		this.rootKey = keys.rootKey().orElse(null);
		this.file = caDirectory.resolve(ROOT_CRL_FILE);
		this.registry = registry;
		this.validity = validity;
		this.clock = clock;
	}

	byte[] current() {
		if (this.rootKey == null) {
			return fromFile();
		}
		CrlPublisher.Published p = this.current;
		if (p == null || stale(p)) {
			p = refresh(true);
		}
		return p.der().clone();
	}

	/**
	 * Re-signs when half the validity has passed. An operator's file is read on demand,
	 * so there is nothing to refresh without the key.
	 */
	void refresh() {
		if (this.rootKey != null) {
			refresh(true);
		}
	}

	synchronized CrlPublisher.Published refresh(boolean onlyIfStale) {
		CrlPublisher.Published p = this.current;
		if (p != null && !stale(p) && onlyIfStale) {
			return p;
		}
		p = build();
		this.current = p;
		return p;
	}

	private boolean stale(CrlPublisher.Published p) {
		return this.clock.instant().isAfter(p.thisUpdate().plus(this.validity.dividedBy(2)));
	}

	private CrlPublisher.Published build() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		BigInteger number = this.registry.nextCrlNumber(this.root.getSubjectX500Principal().getName());
		try {
			X509v2CRLBuilder b = new X509v2CRLBuilder(this.rootName, Date.from(now));
			b.setNextUpdate(Date.from(now.plus(this.validity)));
			b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
			b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootKeyId()));
			String algorithm = CaKeyAlgorithm.signatureAlgorithmFor(this.root.getPublicKey());
			byte[] der = b.build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER).build(this.rootKey))
				.getEncoded();
			return new CrlPublisher.Published(der, now, number);
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

	private byte[] fromFile() {
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
		// Comparing bytes rather than timestamps: a replacement within the file system's
		// timestamp granularity must not be served unchecked.
		byte[] verified = this.verified;
		if (verified == null || !Arrays.equals(verified, der)) {
			check(der);
			this.verified = der.clone();
		}
		return der;
	}

	private void check(byte[] der) {
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
	}

}
