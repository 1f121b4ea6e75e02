package org.certflow.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
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
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues end-entity certificates: re-inspects the CSR, builds the TBSCertificate from the
 * profile and validated data only, lints it, reserves the serial with the TBS hash and an
 * audit event, signs, records with a second audit event (see the numbered steps of
 * {@link #issue}).
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

	/**
	 * Issues the certificate for an approved request. The steps are numbered so that a
	 * reviewer can check the order, which is the point: nothing is signed that was not
	 * checked, linted, reserved and audited first, and nothing signed goes unrecorded.
	 */
	@Override
	public IssuedCertificate issue(IssuanceRequest request) {
		// 1. A request gets one certificate. The signing task is retried after a
		// crash or a lost lock, so a repeated call answers with what was recorded,
		// never signs twice.
		Optional<byte[]> earlier = this.journal.findIssuedByRequestId(request.requestId());
		if (earlier.isPresent()) {
			return withChain(request.requestId(), CaCertificates.toJdk(earlier.get()));
		}
		Checked checked = check(request);
		try {
			return sign(checked);
		}
		catch (RuntimeException ex) {
			return winnerOr(request.requestId(), ex);
		}
	}

	/**
	 * The same steps as {@link #issue} for a chunk of requests, with the journal's writes
	 * shared: step 8 reserves every serial and writes every "about to sign" event in one
	 * commit before the key signs anything, step 10 records every certificate with its
	 * "signed" event in one commit. Two commits per chunk instead of two per certificate
	 * is what lets the signer keep up with the engine. A request that fails any step
	 * fails alone; the chunk goes on without it.
	 */
	@Override
	public List<IssuanceOutcome> issueAll(List<IssuanceRequest> requests) {
		IssuanceOutcome[] outcomes = new IssuanceOutcome[requests.size()];
		List<Integer> positions = new ArrayList<>();
		List<Prepared> prepared = new ArrayList<>();
		for (int i = 0; i < requests.size(); i++) {
			IssuanceRequest request = requests.get(i);
			try {
				// 1. as in issue(): a retried request answers with what was recorded.
				Optional<byte[]> earlier = this.journal.findIssuedByRequestId(request.requestId());
				if (earlier.isPresent()) {
					outcomes[i] = IssuanceOutcome
						.issued(withChain(request.requestId(), CaCertificates.toJdk(earlier.get())));
					continue;
				}
				// 2.-7. as in issue(): checks, validity, TBS and lint, each request
				// alone.
				prepared.add(prepare(check(request)));
				positions.add(i);
			}
			catch (RuntimeException ex) {
				outcomes[i] = IssuanceOutcome.failed(request.requestId(), ex);
			}
		}
		if (prepared.isEmpty()) {
			return List.of(outcomes);
		}
		// 8. Reserve every serial with its audit event in one commit, before any
		// signature. Nothing is signed unless the whole reservation committed.
		boolean reserved;
		try {
			reserved = this.journal.reserveAll(prepared.stream().map(Prepared::reservation).toList());
		}
		catch (RuntimeException ex) {
			for (int k = 0; k < prepared.size(); k++) {
				outcomes[positions.get(k)] = IssuanceOutcome.failed(prepared.get(k).requestId(), ex);
			}
			return List.of(outcomes);
		}
		if (!reserved) {
			// A serial collided (with 64 random bits, next to never): nothing of the
			// chunk was reserved, so each request draws again on its own.
			log.warn("Serial collision in a chunk of {}; issuing its requests one by one", prepared.size());
			for (int k = 0; k < prepared.size(); k++) {
				IssuanceRequest request = requests.get(positions.get(k));
				outcomes[positions.get(k)] = attempt(request.requestId(), () -> issue(request));
			}
			return List.of(outcomes);
		}
		// 9. Sign each reserved TBS; a failed signature burns its serial alone.
		List<Signed> signed = new ArrayList<>();
		List<Integer> signedPositions = new ArrayList<>();
		for (int k = 0; k < prepared.size(); k++) {
			Prepared p = prepared.get(k);
			try {
				signed.add(signOnly(p));
				signedPositions.add(positions.get(k));
			}
			catch (RuntimeException ex) {
				burnQuietly(p, "signing failed");
				outcomes[positions.get(k)] = IssuanceOutcome.failed(p.requestId(), ex);
			}
		}
		// 10. Record every certificate with its audit event in one commit. Should that
		// fail (say another signer recorded one of these requests meanwhile), each is
		// recorded on its own, so one conflict costs no other certificate; what
		// cannot be recorded is burned and never returned.
		try {
			this.journal.recordAllIssued(signed.stream().map(Signed::record).toList());
			for (int k = 0; k < signed.size(); k++) {
				Signed s = signed.get(k);
				log.info("Issued serial {} for request {}", s.prepared().serial().toString(16),
						s.prepared().requestId());
				outcomes[signedPositions.get(k)] = IssuanceOutcome
					.issued(withChain(s.prepared().requestId(), s.cert()));
			}
		}
		catch (RuntimeException chunkFailed) {
			log.warn("Recording a chunk of {} certificates failed ({}); recording them one by one", signed.size(),
					chunkFailed.toString());
			for (int k = 0; k < signed.size(); k++) {
				Signed s = signed.get(k);
				outcomes[signedPositions.get(k)] = attempt(s.prepared().requestId(), () -> record(s));
			}
		}
		return List.of(outcomes);
	}

	private IssuanceOutcome attempt(String requestId, java.util.function.Supplier<IssuedCertificate> issuing) {
		try {
			return IssuanceOutcome.issued(issuing.get());
		}
		catch (RuntimeException ex) {
			return IssuanceOutcome.failed(requestId, ex);
		}
	}

	/**
	 * A concurrent call for the same request may have recorded first; ours was burned.
	 */
	private IssuedCertificate winnerOr(String requestId, RuntimeException ex) {
		Optional<byte[]> winner = (ex instanceof IssuanceRefusedException) ? Optional.empty()
				: this.journal.findIssuedByRequestId(requestId);
		if (winner.isPresent()) {
			return withChain(requestId, CaCertificates.toJdk(winner.get()));
		}
		throw ex;
	}

	/**
	 * Steps 2 to 4: what the CA checks itself before it builds anything.
	 */
	private Checked check(IssuanceRequest request) {
		// 2. Re-check the CSR and its key against the profile and the key policy. The
		// RA checked at submission, but the CA trusts no checks but its own, and the
		// policy (blocklist, weak keys) may have changed while the request waited for
		// approval.
		IssuanceProfile profile = this.inspector.profile(request.profile());
		CsrInspector.Inspection inspection = this.inspector.check(request.csrDer(), profile, false);
		SubjectData subjectData = request.subject();
		// A TLS server profile certifies a host name, every other profile a mailbox:
		// the subject data must be of the profile's kind, so that a person's request
		// never yields a server certificate (nor the reverse).
		if (profile.tlsServer() != (subjectData.hostName() != null)) {
			throw new IssuanceRefusedException(RefusalReason.PROFILE_VIOLATION,
					profile.tlsServer() ? "the '" + profile.name() + "' profile certifies a host name, not a mailbox"
							: "the '" + profile.name() + "' profile certifies a mailbox, not a host name");
		}
		X500Name subject = SubjectRules.subjectOf(subjectData);
		// The mailbox, or a server's host name: the one SAN entry and the subscriber.
		String mailbox = subjectData.subscriber();
		// 3. The mailbox comes from the validated subject data; a CSR that asks for
		// another address is a sign of confusion or abuse, so it is refused rather
		// than overridden.
		if (inspection.requestedMailbox() != null
				&& (profile.tlsServer() || !inspection.requestedMailbox().equalsIgnoreCase(mailbox))) {
			throw new IssuanceRefusedException(RefusalReason.PROFILE_VIOLATION,
					"the certificate request asks for the address " + inspection.requestedMailbox()
							+ ", not the validated mailbox");
		}
		// 4. One key, one subscriber: two subscribers sharing a key could sign for
		// each other, and a revocation for key compromise would not reach both.
		byte[] spkiSha256 = inspection.inspected().spkiSha256();
		Optional<String> holder = this.journal.subscriberOfPublicKey(spkiSha256);
		if (holder.isPresent() && !holder.get().equalsIgnoreCase(mailbox)) {
			throw new IssuanceRefusedException(RefusalReason.DUPLICATE_KEY,
					"this public key is already certified for another subscriber; generate a new key");
		}
		return new Checked(request.requestId(), profile, validity(profile, request), subject, mailbox,
				inspection.spki(), inspection.facts().algorithm(), spkiSha256);
	}

	/**
	 * The class may ask for a shorter life than its profile's; never a longer one.
	 */
	private static java.time.Duration validity(IssuanceProfile profile, IssuanceRequest request) {
		return (request.validity() != null && request.validity().compareTo(profile.validity()) < 0) ? request.validity()
				: profile.validity();
	}

	private IssuedCertificate sign(Checked checked) {
		for (int draw = 0; draw < MAX_SERIAL_DRAWS; draw++) {
			Prepared prepared = prepare(checked);
			// 8. Reserve the serial with the TBS hash, durably, and in the same
			// commit the audit event "about to sign" with the linted TBS itself.
			// Whatever happens from here (crash, failed signature, failed record),
			// the serial is never used for other content, and the trail says what the
			// key was about to sign.
			if (!this.journal.reserve(prepared.reservation())) {
				log.warn("Serial collision for issuer '{}'; drawing again", prepared.issuer());
				continue;
			}
			Signed signed;
			try {
				signed = signOnly(prepared);
			}
			catch (RuntimeException ex) {
				burnQuietly(prepared, "signing failed");
				throw ex;
			}
			return record(signed);
		}
		throw new IllegalStateException("no free serial after " + MAX_SERIAL_DRAWS + " draws; the journal is broken");
	}

	/**
	 * Steps 5 to 7 with a fresh serial: validity, the TBSCertificate, its lint.
	 */
	private Prepared prepare(Checked c) {
		// 5. Validity: the class's, capped by the profile's; backdated a minute for
		// subscribers whose clocks run slow, and never outside the issuing CA's own
		// validity, which relying parties would reject.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant notBefore = now.minus(BACKDATE);
		Instant issuerStart = this.keys.issuingCertificate().getNotBefore().toInstant();
		if (notBefore.isBefore(issuerStart)) {
			notBefore = issuerStart;
		}
		Instant notAfter = notBefore.plus(c.validity()).minusSeconds(1);
		Instant issuerEnd = this.keys.issuingCertificate().getNotAfter().toInstant();
		if (notAfter.isAfter(issuerEnd)) {
			notAfter = issuerEnd;
		}
		String issuer = this.keys.issuerDn();
		// 6. Build the TBSCertificate from the profile and the validated data
		// only: of the CSR, nothing but its public key reaches the certificate.
		BigInteger serial = Serials.draw(this.random);
		TBSCertificate tbs = tbsCertificate(serial, notBefore, notAfter, c.subject(), c.mailbox(), c.spki(),
				c.keyAlgorithm(), c.profile());
		byte[] tbsDer = der(tbs);
		// 7. Lint exactly these bytes before anything is written: a certificate
		// that fails lint must never exist, and refusing it now costs no serial.
		List<String> findings = this.linter.lint(tbsDer, new CertificateLinter.Context(this.keys, this.settings,
				c.profile(), c.mailbox(), c.keyAlgorithm(), now));
		if (!findings.isEmpty()) {
			log.warn("Pre-issuance lint refused serial {} for request {}, nothing was reserved or signed: {}",
					serial.toString(16), c.requestId(), findings);
			throw new IssuanceRefusedException(RefusalReason.LINT_FAILED,
					"the certificate failed pre-issuance lint, nothing was signed: " + String.join("; ", findings));
		}
		return new Prepared(c.requestId(), issuer, serial, tbs, tbsDer, c.mailbox(), c.spkiSha256(), notBefore,
				notAfter, now, c.profile().name());
	}

	/**
	 * Step 9: signs the bytes that were linted, hashed and audited, and nothing else. The
	 * caller burns the serial when this fails.
	 */
	private Signed signOnly(Prepared p) {
		byte[] der = assemble(p.tbs(), this.keys.sign(p.tbsDer()));
		X509Certificate cert = CaCertificates.toJdk(der);
		try {
			if (!Arrays.equals(cert.getTBSCertificate(), p.tbsDer())) {
				throw new IllegalStateException("the signed certificate does not carry the linted TBSCertificate");
			}
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException("cannot read back the signed certificate", ex);
		}
		return new Signed(p, der, cert);
	}

	/**
	 * Steps 10 and 11 for one certificate.
	 */
	private IssuedCertificate record(Signed s) {
		Prepared p = s.prepared();
		try {
			recordOrBurn(s);
		}
		catch (RuntimeException ex) {
			return winnerOr(p.requestId(), ex);
		}
		log.info("Issued serial {} for request {}", p.serial().toString(16), p.requestId());
		// 11. Return the certificate with its chain.
		return withChain(p.requestId(), s.cert());
	}

	private void recordOrBurn(Signed s) {
		boolean recorded = false;
		try {
			// 10. Record the certificate durably, and in the same commit the audit
			// event "signed" with its SHA-256 fingerprint. Until this commits the
			// certificate is not returned to anyone, so an unrecorded certificate
			// never reaches a subscriber (and its serial is burned below).
			this.journal.recordIssued(s.record());
			recorded = true;
		}
		finally {
			if (!recorded) {
				burnQuietly(s.prepared(), "recording the signed certificate failed");
			}
		}
	}

	/**
	 * Burns a reserved serial whose certificate will never be recorded. A burn that fails
	 * too (the database is gone) leaves the reservation to the sweep of abandoned
	 * reservations; the serial is never used either way.
	 */
	private void burnQuietly(Prepared p, String why) {
		try {
			this.journal.burn(p.issuer(), p.serial(), why);
		}
		catch (RuntimeException ex) {
			log.warn("Could not burn serial {} ({}); the sweep of abandoned reservations will", p.serial().toString(16),
					ex.toString());
		}
	}

	/** What steps 2 to 4 established about a request. */
	private record Checked(String requestId, IssuanceProfile profile, java.time.Duration validity, X500Name subject,
			String mailbox, SubjectPublicKeyInfo spki, String keyAlgorithm, byte[] spkiSha256) {
	}

	/** A linted TBSCertificate with its serial, not yet reserved. */
	private record Prepared(String requestId, String issuer, BigInteger serial, TBSCertificate tbs, byte[] tbsDer,
			String mailbox, byte[] spkiSha256, Instant notBefore, Instant notAfter, Instant now, String profile) {

		IssuanceJournal.SerialReservation reservation() {
			return new IssuanceJournal.SerialReservation(this.issuer, this.serial, this.requestId,
					CsrInspector.sha256(this.tbsDer), this.now, this.profile, this.tbsDer);
		}

	}

	/** A signed certificate, not yet recorded. */
	private record Signed(Prepared prepared, byte[] der, X509Certificate cert) {

		IssuanceJournal.IssuedRecord record() {
			Prepared p = this.prepared;
			return new IssuanceJournal.IssuedRecord(p.issuer(), p.serial(), p.requestId(), p.mailbox(), p.spkiSha256(),
					this.der, p.notBefore(), p.notAfter());
		}

	}

	/**
	 * The Certificate SEQUENCE of RFC 5280 section 4.1, from the TBSCertificate that was
	 * encoded for lint and reservation: DER has one encoding per value, so its bytes in
	 * the certificate are those bytes.
	 */
	private byte[] assemble(TBSCertificate tbs, byte[] signature) {
		return der(Certificate.getInstance(new DERSequence(
				new ASN1Encodable[] { tbs, this.keys.signatureAlgorithmId(), new DERBitString(signature) })));
	}

	private static byte[] der(ASN1Object object) {
		try {
			return object.getEncoded(ASN1Encoding.DER);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot encode " + object.getClass().getSimpleName(), ex);
		}
	}

	byte[] buildTbs(BigInteger serial, Instant notBefore, Instant notAfter, X500Name subject, String mailbox,
			SubjectPublicKeyInfo spki, String keyAlgorithm, IssuanceProfile profile) {
		return der(tbsCertificate(serial, notBefore, notAfter, subject, mailbox, spki, keyAlgorithm, profile));
	}

	private TBSCertificate tbsCertificate(BigInteger serial, Instant notBefore, Instant notAfter, X500Name subject,
			String mailbox, SubjectPublicKeyInfo spki, String keyAlgorithm, IssuanceProfile profile) {
		try {
			// A fresh generator per certificate: the BC extension helpers are not
			// thread-safe.
			ExtensionsGenerator ext = new ExtensionsGenerator();
			ext.addExtension(this.fixed.basicConstraints);
			ext.addExtension(this.fixed.keyUsage(profile, keyAlgorithm));
			ext.addExtension(this.fixed.extendedKeyUsage(profile));
			ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
					new GeneralName(profile.tlsServer() ? GeneralName.dNSName : GeneralName.rfc822Name, mailbox)));
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
			return g.generateTBSCertificate();
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
						new DEROctetString(CaCertificates.crlDistributionPoint(settings.crlUrl())));
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
