package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Pre-issuance lint of the to-be-signed certificate, run before the CA key signs
 * anything. It checks the result, not the code that built it: a bug in the builder or a
 * hostile input that slipped through produces a finding, and a finding stops issuance.
 */
final class CertificateLinter {

	/** Clock skew tolerated between building and linting. */
	private static final Duration SKEW = Duration.ofMinutes(5);

	private static final Set<ASN1ObjectIdentifier> EXPECTED = Set.of(Extension.basicConstraints, Extension.keyUsage,
			Extension.extendedKeyUsage, Extension.subjectAlternativeName, Extension.subjectKeyIdentifier,
			Extension.authorityKeyIdentifier, Extension.cRLDistributionPoints, Extension.authorityInfoAccess,
			Extension.certificatePolicies);

	/** Extensions that relying parties are required to understand when critical. */
	private static final Set<ASN1ObjectIdentifier> KNOWN_CRITICAL = Set.of(Extension.basicConstraints,
			Extension.keyUsage, Extension.subjectAlternativeName, Extension.extendedKeyUsage);

	private static final Set<ASN1ObjectIdentifier> SUBJECT_ATTRIBUTES = Set.of(BCStyle.CN, BCStyle.O, BCStyle.C);

	/**
	 * What the certificate must look like.
	 *
	 * @param keys the issuing CA
	 * @param settings URLs and policy
	 * @param profile the certificate class
	 * @param mailbox the validated mailbox, or for a TLS server profile the host name
	 * @param keyAlgorithm RSA, EC or Ed25519 (subscriber key)
	 * @param now the time of issuance
	 */
	record Context(CaKeys keys, CaSettings settings, IssuanceProfile profile, String mailbox, String keyAlgorithm,
			Instant now) {
	}

	/**
	 * Lints a DER TBSCertificate.
	 * @param tbsDer the to-be-signed certificate
	 * @param ctx what it must be
	 * @return findings, each starting with the lint's name; empty when clean
	 */
	List<String> lint(byte[] tbsDer, Context ctx) {
		List<String> findings = new ArrayList<>();
		TBSCertificate tbs;
		try {
			String problem = DerGuard.problem(tbsDer, 64 * 1024);
			if (problem != null) {
				findings.add("der: the TBSCertificate " + problem);
				return findings;
			}
			ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(tbsDer));
			lintExtensionList(seq, findings);
			if (!findings.isEmpty()) {
				return findings;
			}
			tbs = TBSCertificate.getInstance(seq);
			if (tbs.getVersionNumber() == 3 && !Arrays.equals(rebuild(tbs), tbsDer)) {
				findings.add("der-round-trip: re-encoding the TBSCertificate changes its bytes");
			}
		}
		catch (IOException | RuntimeException ex) {
			findings.add("der: the TBSCertificate does not parse (" + ex.getClass().getSimpleName() + ")");
			return findings;
		}
		lintSerial(tbs, findings);
		lintVersionAndAlgorithm(tbs, ctx, findings);
		lintValidity(tbs, ctx, findings);
		lintSubject(tbs.getSubject(), findings);
		lintSmimeSubject(tbs.getSubject(), ctx.profile(), findings);
		Extensions ext = tbs.getExtensions();
		if (ext == null) {
			findings.add("extensions: the certificate has no extensions");
			return findings;
		}
		lintExtensionSet(ext, findings);
		lintBasicConstraints(ext, findings);
		lintKeyUsage(tbs, ext, ctx, findings);
		lintExtendedKeyUsage(ext, ctx, findings);
		lintKeyIdentifiers(tbs, ext, ctx, findings);
		lintSubjectAltName(tbs, ext, ctx, findings);
		lintUrlsAndPolicy(ext, ctx, findings);
		return findings;
	}

	/**
	 * Re-encodes from the parsed fields. BC keeps the parsed sequence and would hand back
	 * the input bytes unchanged, which would make the round trip prove nothing.
	 */
	private static byte[] rebuild(TBSCertificate tbs) throws IOException {
		V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
		g.setSerialNumber(new ASN1Integer(tbs.getSerialNumber().getValue()));
		g.setSignature(tbs.getSignature());
		g.setIssuer(tbs.getIssuer());
		g.setStartDate(tbs.getStartDate());
		g.setEndDate(tbs.getEndDate());
		g.setSubject(tbs.getSubject());
		g.setSubjectPublicKeyInfo(tbs.getSubjectPublicKeyInfo());
		if (tbs.getExtensions() != null) {
			ExtensionsGenerator ext = new ExtensionsGenerator();
			for (ASN1ObjectIdentifier oid : tbs.getExtensions().getExtensionOIDs()) {
				Extension e = tbs.getExtensions().getExtension(oid);
				ext.addExtension(new Extension(oid, e.isCritical(), e.getExtnValue().getOctets()));
			}
			g.setExtensions(ext.generate());
		}
		return g.generateTBSCertificate().getEncoded(ASN1Encoding.DER);
	}

	private static void lintExtensionList(ASN1Sequence tbs, List<String> findings) {
		for (ASN1Encodable element : tbs) {
			if (element instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
				ASN1Sequence list = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
				Set<ASN1ObjectIdentifier> seen = new HashSet<>();
				for (ASN1Encodable e : list) {
					ASN1ObjectIdentifier oid = ASN1ObjectIdentifier
						.getInstance(ASN1Sequence.getInstance(e).getObjectAt(0));
					if (!seen.add(oid)) {
						findings.add("extensions-unique: extension " + oid.getId() + " appears more than once");
					}
				}
				if (list.size() == 0) {
					findings.add("extensions-unique: the extensions list is present but empty");
				}
			}
		}
	}

	private static void lintSerial(TBSCertificate tbs, List<String> findings) {
		ASN1Integer serialInt = tbs.getSerialNumber();
		BigInteger serial = serialInt.getValue();
		if (serial.signum() <= 0) {
			findings.add("serial: the serial number must be positive");
		}
		else if (serial.toByteArray().length > 20) {
			findings.add("serial: the serial number is longer than 20 octets");
		}
		else if (serial.bitLength() < Serials.MIN_BITS) {
			findings.add("serial: the serial number has fewer than 64 bits");
		}
	}

	private static void lintVersionAndAlgorithm(TBSCertificate tbs, Context ctx, List<String> findings) {
		if (tbs.getVersionNumber() != 3) {
			findings.add("version: the certificate must be version 3");
		}
		if (!ctx.keys().signatureAlgorithmId().equals(tbs.getSignature())) {
			findings.add("signature-algorithm: the TBS signature algorithm " + tbs.getSignature().getAlgorithm().getId()
					+ " is not the issuing key's");
		}
		// Byte comparison on purpose: name matching in some clients is binary.
		if (!Arrays.equals(ctx.keys().issuerNameDer(), encode(tbs.getIssuer()))) {
			findings.add("issuer-name: the issuer is not byte-for-byte the issuing CA's subject");
		}
		if (tbs.getIssuerUniqueId() != null || tbs.getSubjectUniqueId() != null) {
			findings.add("version: unique identifiers are not allowed");
		}
	}

	private static void lintValidity(TBSCertificate tbs, Context ctx, List<String> findings) {
		Instant notBefore = DerTime.decode(tbs.getStartDate());
		Instant notAfter = DerTime.decode(tbs.getEndDate());
		if (notBefore == null || notAfter == null) {
			findings.add("validity: times must be UTCTime or GeneralizedTime in UTC ('Z') with whole seconds");
			return;
		}
		timeType("notBefore", tbs.getStartDate(), notBefore, findings);
		timeType("notAfter", tbs.getEndDate(), notAfter, findings);
		if (!notAfter.isAfter(notBefore)) {
			findings.add("validity: notAfter is not after notBefore");
		}
		Instant issuerStart = ctx.keys().issuingCertificate().getNotBefore().toInstant();
		Instant issuerEnd = ctx.keys().issuingCertificate().getNotAfter().toInstant();
		if (notAfter.isAfter(issuerEnd)) {
			findings.add("validity: notAfter is after the issuing CA's notAfter " + issuerEnd);
		}
		if (notBefore.isBefore(issuerStart)) {
			findings.add("validity: notBefore is before the issuing CA's notBefore " + issuerStart);
		}
		if (notBefore.isAfter(ctx.now().plus(SKEW)) || notBefore.isBefore(ctx.now().minus(Duration.ofDays(1)))) {
			findings.add("validity: notBefore " + notBefore + " is not close to the time of issuance");
		}
		// RFC 5280 counts both ends inclusively, so the builder ends one second early.
		if (Duration.between(notBefore, notAfter).compareTo(ctx.profile().validity()) > 0) {
			findings.add("validity: the validity period is longer than the profile's " + ctx.profile().validity());
		}
	}

	private static void timeType(String field, Time time, Instant instant, List<String> findings) {
		ASN1Primitive p = time.toASN1Primitive();
		boolean utcExpected = instant.isBefore(DerTime.UTC_TIME_END);
		if (utcExpected && !(p instanceof ASN1UTCTime)) {
			findings.add("validity: " + field + " before 2050 must be UTCTime");
		}
		if (!utcExpected && !(p instanceof ASN1GeneralizedTime)) {
			findings.add("validity: " + field + " from 2050 on must be GeneralizedTime");
		}
	}

	private static void lintSubject(X500Name subject, List<String> findings) {
		RDN[] rdns = subject.getRDNs();
		if (rdns.length == 0) {
			findings.add("subject: the subject is empty");
			return;
		}
		Set<ASN1ObjectIdentifier> seen = new HashSet<>();
		for (RDN rdn : rdns) {
			if (rdn.isMultiValued()) {
				findings.add("subject: multi-valued RDNs are not allowed");
				continue;
			}
			AttributeTypeAndValue atv = rdn.getFirst();
			ASN1ObjectIdentifier type = atv.getType();
			if (!SUBJECT_ATTRIBUTES.contains(type)) {
				findings.add("subject: attribute " + type.getId() + " is not allowed");
				continue;
			}
			if (!seen.add(type)) {
				findings.add("subject: attribute " + BCStyle.INSTANCE.oidToDisplayName(type) + " appears twice");
			}
			ASN1Encodable value = atv.getValue();
			if (BCStyle.C.equals(type)) {
				if (!(value instanceof DERPrintableString c) || !c.getString().matches("[A-Z]{2}")) {
					findings.add("subject: C must be a PrintableString of two capital letters");
				}
				continue;
			}
			if (!(value instanceof DERUTF8String) && !(value instanceof DERPrintableString)) {
				findings.add("subject: " + BCStyle.INSTANCE.oidToDisplayName(type)
						+ " must be a UTF8String or PrintableString");
				continue;
			}
			String problem = SubjectRules.textProblem(((ASN1String) value).getString());
			if (problem != null) {
				findings.add("subject: " + BCStyle.INSTANCE.oidToDisplayName(type) + " " + problem);
			}
		}
		if (!seen.contains(BCStyle.CN)) {
			findings.add("subject: there is no common name");
		}
	}

	/**
	 * The subject attributes the S/MIME BR (7.1.4.2.2) allow for the profile's
	 * certificate type: an individual-validated certificate names no organisation, a
	 * sponsor-validated one must name it.
	 */
	private static void lintSmimeSubject(X500Name subject, IssuanceProfile profile, List<String> findings) {
		if (smimePolicy(profile) == null) {
			return;
		}
		boolean organization = subject.getRDNs(BCStyle.O).length > 0;
		if (profile.smimeValidation() == IssuanceProfile.SmimeValidation.INDIVIDUAL && organization) {
			findings.add("subject-smime: an individual-validated S/MIME certificate must not name an organization "
					+ "(profile " + profile.name() + "; use a sponsor-validated profile)");
		}
		if (profile.smimeValidation() == IssuanceProfile.SmimeValidation.SPONSOR && !organization) {
			findings.add("subject-smime: a sponsor-validated S/MIME certificate must name the organization (profile "
					+ profile.name() + ")");
		}
	}

	private static void lintExtensionSet(Extensions ext, List<String> findings) {
		for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
			Extension e = ext.getExtension(oid);
			if (e.isCritical() && !KNOWN_CRITICAL.contains(oid)) {
				findings.add("extensions-critical: extension " + oid.getId() + " is critical but not one relying "
						+ "parties are required to process");
			}
			if (!EXPECTED.contains(oid)) {
				findings.add("extensions-allowed: extension " + oid.getId() + " is not part of the profile");
			}
		}
	}

	private static void lintBasicConstraints(Extensions ext, List<String> findings) {
		Extension e = ext.getExtension(Extension.basicConstraints);
		if (e == null) {
			findings.add("basic-constraints: missing");
			return;
		}
		BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
		if (!e.isCritical()) {
			findings.add("basic-constraints: must be critical");
		}
		if (bc.isCA()) {
			findings.add("basic-constraints: an end-entity certificate must not be CA:TRUE");
		}
		if (bc.getPathLenConstraint() != null) {
			findings.add("basic-constraints: pathLenConstraint is only for CA certificates");
		}
	}

	/**
	 * The key type of the certified key, read from the certificate itself, so that a
	 * builder that mistakes the key type cannot pass its mistake on to the lint.
	 */
	static String keyTypeOf(SubjectPublicKeyInfo spki) {
		ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
		if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
			return "RSA";
		}
		if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
			return "EC";
		}
		if (EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
			return "Ed25519";
		}
		return alg.getId();
	}

	/**
	 * The key usage a certificate must carry, by the rules of the S/MIME Baseline
	 * Requirements (7.1.2.3 e) for the "dual use" of an S/MIME certificate (sign and
	 * receive encrypted mail), and signature only for a class without emailProtection.
	 * Written here, not taken from the certificate builder, so the two can disagree.
	 * @param profile the certificate class
	 * @param keyType RSA, EC or Ed25519, as read from the certificate's key
	 * @return the KeyUsage bits, or -1 when no usage fits the key type
	 */
	static int requiredKeyUsage(IssuanceProfile profile, String keyType) {
		boolean dualUse = profile.extendedKeyUsages().contains(IssuanceProfile.EMAIL_PROTECTION);
		return switch (keyType) {
			// Key transport: the sender encrypts the content key to the RSA key.
			case "RSA" -> dualUse ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
			// S/MIME encryption to EC keys is ECDH key agreement (RFC 5753); the BR allow
			// no keyEncipherment for them.
			case "EC" -> dualUse ? KeyUsage.digitalSignature | KeyUsage.keyAgreement : KeyUsage.digitalSignature;
			// An Ed25519 key can only sign (RFC 8410).
			case "Ed25519" -> KeyUsage.digitalSignature;
			default -> -1;
		};
	}

	private static void lintKeyUsage(TBSCertificate tbs, Extensions ext, Context ctx, List<String> findings) {
		String keyType = keyTypeOf(tbs.getSubjectPublicKeyInfo());
		if (!keyType.equals(ctx.keyAlgorithm())) {
			findings.add("subject-public-key: the certified key is " + keyType + ", but the request's key was "
					+ ctx.keyAlgorithm());
		}
		Extension e = ext.getExtension(Extension.keyUsage);
		if (e == null) {
			findings.add("key-usage: missing");
			return;
		}
		if (!e.isCritical()) {
			findings.add("key-usage: must be critical");
		}
		KeyUsage ku = KeyUsage.getInstance(e.getParsedValue());
		int expected = requiredKeyUsage(ctx.profile(), keyType);
		if (expected < 0) {
			findings.add("key-usage: no usage is defined for a " + keyType + " key");
		}
		else if (!ku.equals(new KeyUsage(expected))) {
			findings.add("key-usage: " + ku + " is not the usage for a " + keyType + " key in profile "
					+ ctx.profile().name());
		}
		if (ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.cRLSign)) {
			findings.add("key-usage: keyCertSign and cRLSign are for CA certificates only");
		}
	}

	private static void lintExtendedKeyUsage(Extensions ext, Context ctx, List<String> findings) {
		Extension e = ext.getExtension(Extension.extendedKeyUsage);
		if (e == null) {
			findings.add("extended-key-usage: missing");
			return;
		}
		ExtendedKeyUsage eku = ExtendedKeyUsage.getInstance(e.getParsedValue());
		List<String> got = new ArrayList<>();
		for (KeyPurposeId id : eku.getUsages()) {
			got.add(id.getId());
		}
		if (got.contains(IssuanceProfile.ANY_EXTENDED_KEY_USAGE)) {
			findings.add("extended-key-usage: anyExtendedKeyUsage is never allowed");
		}
		if (!new HashSet<>(got).equals(new HashSet<>(ctx.profile().extendedKeyUsages()))
				|| got.size() != ctx.profile().extendedKeyUsages().size()) {
			findings.add("extended-key-usage: " + got + " is not the profile's " + ctx.profile().extendedKeyUsages());
		}
	}

	private static void lintKeyIdentifiers(TBSCertificate tbs, Extensions ext, Context ctx, List<String> findings) {
		Extension ski = ext.getExtension(Extension.subjectKeyIdentifier);
		if (ski == null) {
			findings.add("subject-key-identifier: missing");
		}
		else if (!Arrays.equals(SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier(),
				rfc5280KeyId(tbs.getSubjectPublicKeyInfo()))) {
			findings.add("subject-key-identifier: does not identify the certified key");
		}
		Extension aki = ext.getExtension(Extension.authorityKeyIdentifier);
		if (aki == null) {
			findings.add("authority-key-identifier: missing");
			return;
		}
		AuthorityKeyIdentifier id = AuthorityKeyIdentifier.getInstance(aki.getParsedValue());
		if (!Arrays.equals(id.getKeyIdentifierOctets(), ctx.keys().issuerKeyId())) {
			findings.add("authority-key-identifier: does not match the issuing CA's subject key identifier");
		}
		if (id.getAuthorityCertIssuer() != null || id.getAuthorityCertSerialNumber() != null) {
			findings.add("authority-key-identifier: must carry only the key identifier");
		}
		if (aki.isCritical() || (ski != null && ski.isCritical())) {
			findings.add("authority-key-identifier: key identifiers must not be critical");
		}
	}

	/**
	 * RFC 5280 section 4.2.1.2 method 1, worked out here with the JDK's digest rather
	 * than with the Bouncy Castle utility the builder uses, so that the lint does not
	 * take its expected value from the code it checks.
	 */
	private static byte[] rfc5280KeyId(SubjectPublicKeyInfo spki) {
		try {
			return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-1", ex);
		}
	}

	private static void lintSubjectAltName(TBSCertificate tbs, Extensions ext, Context ctx, List<String> findings) {
		Extension e = ext.getExtension(Extension.subjectAlternativeName);
		if (e == null) {
			findings.add("subject-alt-name: missing");
			return;
		}
		GeneralName[] names = GeneralNames.getInstance(e.getParsedValue()).getNames();
		boolean server = ctx.profile().tlsServer();
		int tag = server ? GeneralName.dNSName : GeneralName.rfc822Name;
		if (names.length != 1 || names[0].getTagNo() != tag) {
			findings.add("subject-alt-name: must hold exactly one " + (server ? "dNSName" : "rfc822Name"));
			return;
		}
		String mailbox = DERIA5String.getInstance(names[0].getName()).getString();
		if (!mailbox.equals(ctx.mailbox())) {
			findings
				.add("subject-alt-name: " + mailbox + " is not the validated " + (server ? "host name" : "mailbox"));
		}
		if (server) {
			X500Name subject = tbs.getSubject();
			RDN[] cn = subject.getRDNs(BCStyle.CN);
			if (subject.getRDNs().length != 1 || cn.length != 1
					|| !mailbox.equals(((ASN1String) cn[0].getFirst().getValue()).getString())) {
				findings.add("subject-server: a server's subject must be CN=<its one dNSName> and nothing else");
			}
		}
		boolean emptySubject = tbs.getSubject().getRDNs().length == 0;
		if (e.isCritical() != emptySubject) {
			findings.add("subject-alt-name: must be critical exactly when the subject is empty");
		}
	}

	private static void lintUrlsAndPolicy(Extensions ext, Context ctx, List<String> findings) {
		CRLDistPoint crldp = CRLDistPoint.fromExtensions(ext);
		boolean crlOk = false;
		if (crldp != null && crldp.getDistributionPoints().length == 1) {
			DistributionPoint dp = crldp.getDistributionPoints()[0];
			DistributionPointName name = dp.getDistributionPoint();
			crlOk = name != null && name.getType() == DistributionPointName.FULL_NAME && dp.getReasons() == null
					&& dp.getCRLIssuer() == null
					&& isOnlyUri(GeneralNames.getInstance(name.getName()), ctx.settings().crlUrl());
		}
		if (!crlOk) {
			findings.add("crl-distribution-points: must hold exactly the configured CRL URL");
		}
		AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(ext);
		boolean ocsp = false;
		boolean caIssuers = false;
		boolean other = false;
		if (aia != null) {
			for (AccessDescription ad : aia.getAccessDescriptions()) {
				String uri = uriOf(ad.getAccessLocation());
				if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod()) && ctx.settings().ocspUrl().equals(uri)) {
					ocsp = true;
				}
				else if (AccessDescription.id_ad_caIssuers.equals(ad.getAccessMethod())
						&& ctx.settings().caIssuersUrl().equals(uri)) {
					caIssuers = true;
				}
				else {
					other = true;
				}
			}
		}
		if (!ocsp || !caIssuers || other) {
			findings.add("authority-info-access: must hold exactly the configured OCSP and caIssuers URLs");
		}
		CertificatePolicies cp = CertificatePolicies.fromExtensions(ext);
		List<String> expectedPolicies = new ArrayList<>();
		expectedPolicies.add(ctx.settings().certificatePolicyOid());
		String smime = smimePolicy(ctx.profile());
		if (smime != null) {
			expectedPolicies.add(smime);
		}
		List<String> policies = new ArrayList<>();
		if (cp != null) {
			for (PolicyInformation pi : cp.getPolicyInformation()) {
				policies.add(pi.getPolicyIdentifier().getId());
				if (pi.getPolicyQualifiers() != null) {
					findings.add("certificate-policies: policy qualifiers are not part of the profile");
				}
			}
		}
		if (!policies.equals(expectedPolicies)) {
			findings.add("certificate-policies: " + policies + " is not " + expectedPolicies
					+ " (the configured policy, then the S/MIME BR policy of the profile)");
		}
		if (cp != null) {
			for (PolicyInformation pi : cp.getPolicyInformation()) {
				if ("2.5.29.32.0".equals(pi.getPolicyIdentifier().getId())) {
					findings.add("certificate-policies: anyPolicy is for CA certificates only");
				}
			}
		}
	}

	/**
	 * The S/MIME BR policy (7.1.6.1) by the linter's own reading of the profile: the
	 * validation type it declares, strict when emailProtection is the only EKU,
	 * multipurpose when other purposes are granted too.
	 */
	private static String smimePolicy(IssuanceProfile profile) {
		List<String> ekus = profile.extendedKeyUsages();
		if (!ekus.contains(IssuanceProfile.EMAIL_PROTECTION)) {
			return null;
		}
		String type = switch (profile.smimeValidation()) {
			case SPONSOR -> "3";
			case INDIVIDUAL -> "4";
			case NONE -> null;
		};
		if (type == null) {
			return null;
		}
		return "2.23.140.1.5." + type + ((ekus.size() == 1) ? ".3" : ".2");
	}

	private static boolean isOnlyUri(GeneralNames names, String url) {
		GeneralName[] n = names.getNames();
		return n.length == 1 && url.equals(uriOf(n[0]));
	}

	private static String uriOf(GeneralName name) {
		if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
			return null;
		}
		return DERIA5String.getInstance(name.getName()).getString();
	}

	private static byte[] encode(X500Name name) {
		try {
			return name.getEncoded(ASN1Encoding.DER);
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}

}
