package org.certflow.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues end-entity certificates: re-inspects the CSR, builds the TBSCertificate from the
 * profile and validated data only, reserves the serial with the TBS hash, lints, signs,
 * records.
 */
final class IssuingAuthority implements CertificateAuthority {

	/** Tolerates subscribers whose clocks run a little slow. */
	static final Duration BACKDATE = Duration.ofMinutes(1);

	private static final int MAX_SERIAL_DRAWS = 8;

	private static final Logger log = LoggerFactory.getLogger(IssuingAuthority.class);

	private final CaSettings settings;

	private final CaKeys keys;

	private final CsrInspector inspector;

	private final IssuanceJournal journal;

	private final CertificateLinter linter;

	private final SecureRandom random;

	private final Clock clock;

	private final FixedExtensions fixed;

	IssuingAuthority(CaSettings settings, CaKeys keys, CsrInspector inspector, IssuanceJournal journal,
			CertificateLinter linter, SecureRandom random, Clock clock) {
		this.settings = settings;
		this.keys = keys;
		this.inspector = inspector;
		this.journal = journal;
		this.linter = linter;
		this.random = random;
		this.clock = clock;
		this.fixed = new FixedExtensions(settings, keys);
	}

	@Override
	public IssuedCertificate issue(IssuanceRequest request) {
		Optional<byte[]> earlier = this.journal.findIssuedByRequestId(request.requestId());
		if (earlier.isPresent()) {
			return withChain(request.requestId(), CaCertificates.toJdk(earlier.get()));
		}
		IssuanceProfile profile = this.inspector.profile(request.profile());
		CsrInspector.Inspection inspection = this.inspector.check(request.csrDer(), profile, false);
		SubjectData subjectData = request.subject();
		X500Name subject = SubjectRules.subjectOf(subjectData);
		String mailbox = subjectData.emailAddress();
		if (inspection.requestedMailbox() != null && !inspection.requestedMailbox().equalsIgnoreCase(mailbox)) {
			throw new IssuanceRefusedException(RefusalReason.PROFILE_VIOLATION,
					"the certificate request asks for the address " + inspection.requestedMailbox()
							+ ", not the validated mailbox");
		}
		byte[] spkiSha256 = inspection.inspected().spkiSha256();
		Optional<String> holder = this.journal.subscriberOfPublicKey(spkiSha256);
		if (holder.isPresent() && !holder.get().equalsIgnoreCase(mailbox)) {
			throw new IssuanceRefusedException(RefusalReason.DUPLICATE_KEY,
					"this public key is already certified for another subscriber; generate a new key");
		}
		try {
			return sign(request.requestId(), profile, subject, mailbox, inspection.spki(),
					inspection.facts().algorithm(), spkiSha256);
		}
		catch (RuntimeException ex) {
			// A concurrent call for the same request may have recorded first; ours was
			// burned.
			Optional<byte[]> winner = (ex instanceof IssuanceRefusedException) ? Optional.empty()
					: this.journal.findIssuedByRequestId(request.requestId());
			if (winner.isPresent()) {
				return withChain(request.requestId(), CaCertificates.toJdk(winner.get()));
			}
			throw ex;
		}
	}

	private IssuedCertificate sign(String requestId, IssuanceProfile profile, X500Name subject, String mailbox,
			SubjectPublicKeyInfo spki, String keyAlgorithm, byte[] spkiSha256) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant notBefore = now.minus(BACKDATE);
		Instant issuerStart = this.keys.issuingCertificate().getNotBefore().toInstant();
		if (notBefore.isBefore(issuerStart)) {
			notBefore = issuerStart;
		}
		Instant notAfter = notBefore.plus(profile.validity()).minusSeconds(1);
		Instant issuerEnd = this.keys.issuingCertificate().getNotAfter().toInstant();
		if (notAfter.isAfter(issuerEnd)) {
			notAfter = issuerEnd;
		}
		String issuer = this.keys.issuerDn();
		for (int draw = 0; draw < MAX_SERIAL_DRAWS; draw++) {
			BigInteger serial = Serials.draw(this.random);
			byte[] tbsDer = buildTbs(serial, notBefore, notAfter, subject, mailbox, spki, keyAlgorithm, profile);
			if (!this.journal.reserve(new IssuanceJournal.SerialReservation(issuer, serial, requestId,
					CsrInspector.sha256(tbsDer), now))) {
				log.warn("Serial collision for issuer '{}'; drawing again", issuer);
				continue;
			}
			return lintSignRecord(requestId, issuer, serial, tbsDer, mailbox, spkiSha256, notBefore, notAfter,
					new CertificateLinter.Context(this.keys, this.settings, profile, mailbox, keyAlgorithm, now));
		}
		throw new IllegalStateException("no free serial after " + MAX_SERIAL_DRAWS + " draws; the journal is broken");
	}

	private IssuedCertificate lintSignRecord(String requestId, String issuer, BigInteger serial, byte[] tbsDer,
			String mailbox, byte[] spkiSha256, Instant notBefore, Instant notAfter, CertificateLinter.Context ctx) {
		boolean recorded = false;
		String burnReason = "signing failed";
		try {
			List<String> findings = this.linter.lint(tbsDer, ctx);
			if (!findings.isEmpty()) {
				burnReason = "lint: " + String.join("; ", findings);
				throw new IssuanceRefusedException(RefusalReason.LINT_FAILED,
						"the certificate failed pre-issuance lint, nothing was signed: " + String.join("; ", findings));
			}
			byte[] der = assemble(tbsDer, this.keys.sign(tbsDer));
			X509Certificate cert = CaCertificates.toJdk(der);
			burnReason = "recording the signed certificate failed";
			this.journal.recordIssued(new IssuanceJournal.IssuedRecord(issuer, serial, requestId, mailbox, spkiSha256,
					der, notBefore, notAfter));
			recorded = true;
			log.info("Issued serial {} for request {}", serial.toString(16), requestId);
			return withChain(requestId, cert);
		}
		finally {
			if (!recorded) {
				this.journal.burn(issuer, serial, burnReason);
			}
		}
	}

	/**
	 * Wraps the linted TBS bytes as they are, so the certificate carries exactly what was
	 * linted and hashed into the reservation (and no second parse is spent on it).
	 */
	private byte[] assemble(byte[] tbsDer, byte[] signature) {
		try {
			byte[] algorithm = this.keys.signatureAlgorithmId().getEncoded(ASN1Encoding.DER);
			byte[] bits = new DERBitString(signature).getEncoded(ASN1Encoding.DER);
			int length = tbsDer.length + algorithm.length + bits.length;
			ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
			out.write(0x30);
			writeLength(out, length);
			out.write(tbsDer);
			out.write(algorithm);
			out.write(bits);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot encode the certificate", ex);
		}
	}

	private static void writeLength(ByteArrayOutputStream out, int length) {
		if (length < 0x80) {
			out.write(length);
			return;
		}
		int bytes = (length > 0xffffff) ? 4 : (length > 0xffff) ? 3 : (length > 0xff) ? 2 : 1;
		out.write(0x80 | bytes);
		for (int i = bytes - 1; i >= 0; i--) {
			out.write(length >>> (8 * i));
		}
	}

	byte[] buildTbs(BigInteger serial, Instant notBefore, Instant notAfter, X500Name subject, String mailbox,
			SubjectPublicKeyInfo spki, String keyAlgorithm, IssuanceProfile profile) {
		try {
			// A fresh generator per certificate: the BC extension helpers are not
			// thread-safe.
			ExtensionsGenerator ext = new ExtensionsGenerator();
			ext.addExtension(this.fixed.basicConstraints);
			ext.addExtension(this.fixed.keyUsage(profile, keyAlgorithm));
			ext.addExtension(this.fixed.extendedKeyUsage(profile));
			ext.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName(GeneralName.rfc822Name, mailbox)));
			ext.addExtension(Extension.subjectKeyIdentifier, false,
					new SubjectKeyIdentifier(CaCertificates.keyId(spki)));
			ext.addExtension(this.fixed.authorityKeyIdentifier);
			ext.addExtension(this.fixed.crlDistributionPoints);
			ext.addExtension(this.fixed.authorityInfoAccess);
			ext.addExtension(this.fixed.certificatePolicies(profile));
			V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
			g.setSerialNumber(new ASN1Integer(serial));
			g.setSignature(this.keys.signatureAlgorithmId());
			g.setIssuer(this.keys.issuerName());
			g.setStartDate(DerTime.encode(notBefore));
			g.setEndDate(DerTime.encode(notAfter));
			g.setSubject(subject);
			g.setSubjectPublicKeyInfo(spki);
			g.setExtensions(ext.generate());
			return g.generateTBSCertificate().getEncoded(ASN1Encoding.DER);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot encode the to-be-signed certificate", ex);
		}
	}

	private IssuedCertificate withChain(String requestId, X509Certificate leaf) {
		return new IssuedCertificate(requestId, leaf,
				List.of(leaf, this.keys.issuingCertificate(), this.keys.rootCertificate()));
	}

	@Override
	public List<X509Certificate> caChain() {
		return this.keys.chain();
	}

	CaKeys keys() {
		return this.keys;
	}

	/**
	 * Extensions that are the same for every certificate of this CA (or of a profile or
	 * key type), encoded once: immutable, so shared across threads, and they keep URL and
	 * OID parsing off the issuance path.
	 */
	private static final class FixedExtensions {

		final Extension basicConstraints;

		final Extension authorityKeyIdentifier;

		final Extension crlDistributionPoints;

		final Extension authorityInfoAccess;

		private final Map<String, Extension> certificatePolicies = new HashMap<>();

		private final Map<String, Extension> keyUsages = new HashMap<>();

		private final Map<String, Extension> extendedKeyUsages = new HashMap<>();

		FixedExtensions(CaSettings settings, CaKeys keys) {
			try {
				this.basicConstraints = new Extension(Extension.basicConstraints, true,
						new DEROctetString(new BasicConstraints(false)));
				this.authorityKeyIdentifier = new Extension(Extension.authorityKeyIdentifier, false,
						new DEROctetString(new AuthorityKeyIdentifier(keys.issuerKeyId())));
				this.crlDistributionPoints = new Extension(Extension.cRLDistributionPoints, false,
						new DEROctetString(new CRLDistPoint(new DistributionPoint[] { new DistributionPoint(
								new DistributionPointName(new GeneralNames(
										new GeneralName(GeneralName.uniformResourceIdentifier, settings.crlUrl()))),
								null, null) })));
				this.authorityInfoAccess = new Extension(Extension.authorityInfoAccess, false,
						new DEROctetString(
								new AuthorityInformationAccess(new AccessDescription[] {
										new AccessDescription(AccessDescription.id_ad_ocsp,
												new GeneralName(GeneralName.uniformResourceIdentifier,
														settings.ocspUrl())),
										new AccessDescription(AccessDescription.id_ad_caIssuers, new GeneralName(
												GeneralName.uniformResourceIdentifier, settings.caIssuersUrl())) })));
				for (IssuanceProfile profile : settings.profiles().values()) {
					// The S/MIME BR policy goes beside the CA's own, so that S/MIME rules
					// (and linters) apply.
					List<PolicyInformation> policies = new ArrayList<>();
					policies.add(new PolicyInformation(new ASN1ObjectIdentifier(settings.certificatePolicyOid())));
					profile.smimePolicyOid()
						.ifPresent((oid) -> policies.add(new PolicyInformation(new ASN1ObjectIdentifier(oid))));
					this.certificatePolicies.put(profile.name(), new Extension(Extension.certificatePolicies, false,
							new DEROctetString(new CertificatePolicies(policies.toArray(new PolicyInformation[0])))));
					for (String type : new String[] { "RSA", "EC", "Ed25519" }) {
						this.keyUsages.put(profile.name() + "/" + type, new Extension(Extension.keyUsage, true,
								new DEROctetString(new KeyUsage(keyUsageBits(profile, type)))));
					}
					List<KeyPurposeId> purposes = new ArrayList<>();
					for (String oid : profile.extendedKeyUsages()) {
						purposes.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)));
					}
					this.extendedKeyUsages.put(profile.name(), new Extension(Extension.extendedKeyUsage, false,
							new DEROctetString(new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])))));
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot encode the CA's fixed extensions", ex);
			}
		}

		/**
		 * The builder's own key usage rule; the linter checks the result against rules of
		 * its own. Mail encryption needs the key management bit that fits the key: RSA
		 * key transport, or ECDH key agreement (RFC 5753); Ed25519 keys only sign.
		 */
		private static int keyUsageBits(IssuanceProfile profile, String keyAlgorithm) {
			boolean encryptsMail = profile.extendedKeyUsages().contains(IssuanceProfile.EMAIL_PROTECTION);
			return switch (keyAlgorithm) {
				case "RSA" -> KeyUsage.digitalSignature | (encryptsMail ? KeyUsage.keyEncipherment : 0);
				case "EC" -> KeyUsage.digitalSignature | (encryptsMail ? KeyUsage.keyAgreement : 0);
				default -> KeyUsage.digitalSignature;
			};
		}

		Extension keyUsage(IssuanceProfile profile, String keyAlgorithm) {
			return this.keyUsages.get(profile.name() + "/" + keyAlgorithm);
		}

		Extension certificatePolicies(IssuanceProfile profile) {
			return this.certificatePolicies.get(profile.name());
		}

		Extension extendedKeyUsage(IssuanceProfile profile) {
			return this.extendedKeyUsages.get(profile.name());
		}

	}

}
