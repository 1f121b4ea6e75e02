package org.certflow.ca;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Checks a PKCS#10 request without any CA key: structure, proof of possession, key policy
 * and what the request asks for. The RA calls it to refuse early; the CA calls it again
 * before it signs because it never trusts its caller.
 */
public final class CsrInspector {

	// Names people know for attributes CSRs often carry; the JDK would print them as
	// OID=#hex.
	private static final Map<String, String> READABLE_ATTRIBUTES = Map.of("1.2.840.113549.1.9.1", "emailAddress",
			"2.5.4.5", "serialNumber", "2.5.4.12", "title", "2.5.4.42", "givenName", "2.5.4.4", "surname");

	private static final int MAX_PEM_CHARS = 32 * 1024;

	private static final Pattern PEM = Pattern
		.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)\\r?\\n?-----END ([A-Z0-9 ]+)-----");

	/** Hashes weaker than SHA-256 would let a forged CSR pass as proof of possession. */
	private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
			PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
			PKCSObjectIdentifiers.sha512WithRSAEncryption, PKCSObjectIdentifiers.id_RSASSA_PSS,
			X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
			X9ObjectIdentifiers.ecdsa_with_SHA512, NISTObjectIdentifiers.id_ecdsa_with_sha3_256,
			EdECObjectIdentifiers.id_Ed25519);

	private final Map<String, IssuanceProfile> profiles;

	private final KeyPolicy keyPolicy;

	/**
	 * An inspector applying the profiles and key blocklist of these settings.
	 * @param settings the CA settings
	 */
	public CsrInspector(CaSettings settings) {
		this(settings.profiles(), settings.keyBlocklistFile().map(KeyBlocklist::load).orElseGet(KeyBlocklist::empty));
	}

	CsrInspector(Map<String, IssuanceProfile> profiles, KeyBlocklist blocklist) {
		this.profiles = Map.copyOf(profiles);
		this.keyPolicy = new KeyPolicy(blocklist);
	}

	/**
	 * Decodes exactly one {@code CERTIFICATE REQUEST} (or
	 * {@code NEW CERTIFICATE REQUEST}) PEM block. Surrounding whitespace is tolerated;
	 * any other text is not, so a paste of several things is refused instead of guessed
	 * at.
	 * @param pem the PEM text
	 * @return the DER bytes
	 * @throws IssuanceRefusedException MALFORMED_PEM
	 */
	public static byte[] decodePem(String pem) {
		if (pem == null || pem.isBlank()) {
			throw pemError("no PEM text was given");
		}
		if (pem.length() > MAX_PEM_CHARS) {
			throw pemError("the PEM text is longer than " + MAX_PEM_CHARS + " characters");
		}
		String text = pem.strip();
		int begins = count(text, "-----BEGIN ");
		if (begins == 0) {
			throw pemError("no '-----BEGIN CERTIFICATE REQUEST-----' line was found");
		}
		if (begins > 1) {
			throw pemError("the text holds " + begins + " PEM blocks; paste exactly one certificate request");
		}
		Matcher m = PEM.matcher(text);
		if (!m.matches()) {
			if (!text.startsWith("-----BEGIN ")) {
				throw pemError("there is text before the '-----BEGIN' line");
			}
			if (!text.contains("-----END ")) {
				throw pemError("the PEM block is truncated: no '-----END' line");
			}
			if (!text.endsWith("-----")) {
				throw pemError("there is text after the '-----END' line");
			}
			throw pemError("the PEM body contains characters that are not base64");
		}
		String label = m.group(1);
		if (!label.equals(m.group(3))) {
			throw pemError("the BEGIN label '" + label + "' does not match the END label '" + m.group(3) + "'");
		}
		if (!label.equals("CERTIFICATE REQUEST") && !label.equals("NEW CERTIFICATE REQUEST")) {
			throw pemError("expected a 'CERTIFICATE REQUEST' PEM block but found '" + label + "'");
		}
		String body = m.group(2).replace("\r", "").replace("\n", "");
		if (body.isEmpty()) {
			throw pemError("the PEM block is empty");
		}
		try {
			return Base64.getDecoder().decode(body);
		}
		catch (IllegalArgumentException ex) {
			throw pemError("the PEM body is not valid base64 (truncated or damaged)");
		}
	}

	/**
	 * Inspects a CSR for a certificate class.
	 * @param csrDer the DER-encoded request
	 * @param profile the profile name
	 * @return facts about the request
	 * @throws IssuanceRefusedException with the specific reason
	 */
	public InspectedCsr inspect(byte[] csrDer, String profile) {
		return check(csrDer, profile(profile), true).inspected();
	}

	/**
	 * @return the names of the issuance profiles this CA knows
	 */
	public java.util.Set<String> profileNames() {
		return new java.util.TreeSet<>(this.profiles.keySet());
	}

	IssuanceProfile profile(String name) {
		IssuanceProfile p = (name != null) ? this.profiles.get(name) : null;
		if (p == null) {
			throw new IssuanceRefusedException(RefusalReason.UNKNOWN_PROFILE,
					"unknown certificate class '" + name + "'; known: " + this.profiles.keySet());
		}
		return p;
	}

	/**
	 * All checks that need no CA key.
	 * @param csrDer the request
	 * @param profile the class
	 * @param describeSubject whether to render the CSR's own subject for people; the CA
	 * skips it because it never uses that subject
	 * @return the parsed, checked request
	 */
	Inspection check(byte[] csrDer, IssuanceProfile profile, boolean describeSubject) {
		String problem = DerGuard.problem(csrDer, DerGuard.MAX_CSR_BYTES);
		if (problem != null) {
			throw new IssuanceRefusedException(RefusalReason.MALFORMED_CSR, "the certificate request " + problem);
		}
		PKCS10CertificationRequest csr;
		SubjectPublicKeyInfo spki;
		String requestedSubject;
		try {
			CertificationRequest structure = CertificationRequest.getInstance(ASN1Primitive.fromByteArray(csrDer));
			csr = new PKCS10CertificationRequest(structure);
			if (structure.getCertificationRequestInfo().getVersion().intValueExact() != 0) {
				throw malformed("the certificate request version must be 1 (0)");
			}
			spki = csr.getSubjectPublicKeyInfo();
			// Shown to people by the RA, so hostile characters are escaped and the length
			// bounded.
			requestedSubject = describeSubject
					? SubjectRules.escaped(new X500Principal(csr.getSubject().getEncoded(ASN1Encoding.DER))
						.getName(X500Principal.RFC2253, READABLE_ATTRIBUTES), 512)
					: "";
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof IssuanceRefusedException refused) {
				throw refused;
			}
			throw malformed("the data is not a PKCS#10 certificate request");
		}
		byte[] spkiDer;
		try {
			spkiDer = spki.getEncoded("DER");
		}
		catch (IOException ex) {
			throw malformed("the public key in the certificate request cannot be encoded");
		}
		byte[] spkiSha256 = sha256(spkiDer);
		KeyPolicy.KeyFacts facts = this.keyPolicy.check(spki, spkiSha256, profile);
		verifyProofOfPossession(csr);
		String requestedMailbox = checkRequestedExtensions(csr, profile);
		InspectedCsr inspected = new InspectedCsr(facts.algorithm(), facts.bits(), facts.description(),
				requestedSubject, spkiSha256);
		return new Inspection(csr, spki, facts, inspected, requestedMailbox);
	}

	private static void verifyProofOfPossession(PKCS10CertificationRequest csr) {
		ASN1ObjectIdentifier sigAlg = csr.getSignatureAlgorithm().getAlgorithm();
		if (!SIGNATURE_ALGORITHMS.contains(sigAlg)) {
			throw new IssuanceRefusedException(RefusalReason.BAD_PROOF_OF_POSSESSION,
					"the certificate request is signed with " + sigAlg.getId()
							+ ", which is not accepted; sign it with SHA-256 or stronger");
		}
		boolean valid;
		try {
			ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER)
				.build(csr.getSubjectPublicKeyInfo());
			valid = csr.isSignatureValid(verifier);
		}
		catch (OperatorCreationException | PKCSException | RuntimeException ex) {
			valid = false;
		}
		if (!valid) {
			throw new IssuanceRefusedException(RefusalReason.BAD_PROOF_OF_POSSESSION,
					"the certificate request's signature does not verify with the public key it contains");
		}
	}

	/**
	 * Refuses requests that ask for more than a profile grants, so a subscriber never
	 * believes it got what it asked for. Returns the single rfc822Name the CSR asks for,
	 * if any.
	 */
	private static String checkRequestedExtensions(PKCS10CertificationRequest csr, IssuanceProfile profile) {
		Attribute[] attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
		if (attributes.length == 0) {
			return null;
		}
		if (attributes.length > 1) {
			throw malformed("the certificate request has more than one extensionRequest attribute");
		}
		Extensions extensions;
		try {
			ASN1Set values = attributes[0].getAttrValues();
			if (values.size() != 1) {
				throw malformed("the extensionRequest attribute must have exactly one value");
			}
			extensions = Extensions.getInstance(values.getObjectAt(0));
		}
		catch (IllegalArgumentException ex) {
			throw malformed("the extensions requested in the certificate request are malformed or repeated");
		}
		try {
			BasicConstraints bc = BasicConstraints.fromExtensions(extensions);
			if (bc != null && bc.isCA()) {
				throw violation("the certificate request asks for CA:TRUE; only end-entity certificates are issued");
			}
			KeyUsage ku = KeyUsage.fromExtensions(extensions);
			if (ku != null && (ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.cRLSign))) {
				throw violation("the certificate request asks for key usage "
						+ (ku.hasUsages(KeyUsage.keyCertSign) ? "keyCertSign" : "cRLSign")
						+ "; only end-entity certificates are issued");
			}
			ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(extensions);
			if (eku != null) {
				for (KeyPurposeId purpose : eku.getUsages()) {
					if (KeyPurposeId.anyExtendedKeyUsage.equals(purpose)) {
						throw violation("the certificate request asks for anyExtendedKeyUsage, which is never granted");
					}
					if (!profile.extendedKeyUsages().contains(purpose.getId())) {
						throw violation("the certificate request asks for extended key usage " + purpose.getId()
								+ ", which the '" + profile.name() + "' class does not grant");
					}
				}
			}
			if (extensions.getExtension(Extension.nameConstraints) != null) {
				throw violation("the certificate request asks for name constraints; only CA certificates carry them");
			}
			GeneralNames san = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
			if (san == null) {
				return null;
			}
			GeneralName[] names = san.getNames();
			if (names.length != 1 || names[0].getTagNo() != GeneralName.rfc822Name) {
				throw violation("the certificate request asks for extra subject alternative names; "
						+ "the certificate names only the validated mailbox");
			}
			return DERIA5String.getInstance(names[0].getName()).getString();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw malformed("the extensions requested in the certificate request are malformed");
		}
	}

	private static IssuanceRefusedException violation(String message) {
		return new IssuanceRefusedException(RefusalReason.PROFILE_VIOLATION, message);
	}

	private static IssuanceRefusedException malformed(String message) {
		return new IssuanceRefusedException(RefusalReason.MALFORMED_CSR, message);
	}

	private static IssuanceRefusedException pemError(String message) {
		return new IssuanceRefusedException(RefusalReason.MALFORMED_PEM, message);
	}

	private static int count(String text, String needle) {
		int n = 0;
		for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
			n++;
		}
		return n;
	}

	static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	/**
	 * A request that passed inspection, with the parsed parts the CA needs.
	 *
	 * @param csr the parsed request
	 * @param spki the subscriber key
	 * @param facts key facts
	 * @param inspected the RA-facing summary
	 * @param requestedMailbox the single rfc822Name the CSR asked for, or {@code null}
	 */
	record Inspection(PKCS10CertificationRequest csr, SubjectPublicKeyInfo spki, KeyPolicy.KeyFacts facts,
			InspectedCsr inspected, String requestedMailbox) {
	}

}
