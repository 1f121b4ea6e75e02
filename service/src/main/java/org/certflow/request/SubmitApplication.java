package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import org.certflow.ca.CsrInspector;
import org.certflow.ca.InspectedCsr;
import org.certflow.ca.IssuanceRefusedException;
import org.certflow.ca.SubjectData;
import org.certflow.security.Secrets;
import org.certflow.serverkey.KeyEscrow;
import org.certflow.serverkey.ServerKeys;
import org.certflow.serverkey.SubjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the applicant submits the application with a CSR. The CSR is checked here with
 * the same inspector the CA uses, so that a bad key is refused to the applicant at once
 * instead of reaching an officer. The invitation is consumed only by a submission that is
 * stored.
 */
@Service
@RetriedOnLockConflict
public class SubmitApplication {

	private static final Logger log = LoggerFactory.getLogger(SubmitApplication.class);

	private final Invitations invitations;

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final CsrInspector inspector;

	private final RequestWorkflow workflow;

	private final RequestEvents events;

	private final Clock clock;

	private final ApplicantStatus statusLinks;

	private final ServerKeys serverKeys;

	SubmitApplication(Invitations invitations, CertificateRequests requests, CertificateClasses classes,
			CsrInspector inspector, RequestWorkflow workflow, RequestEvents events, Clock clock,
			ApplicantStatus statusLinks, ServerKeys serverKeys) {
		this.statusLinks = statusLinks;
		this.serverKeys = serverKeys;
		this.events = events;
		this.invitations = invitations;
		this.requests = requests;
		this.classes = classes;
		this.inspector = inspector;
		this.workflow = workflow;
		this.clock = clock;
	}

	/**
	 * What an open invitation shows the applicant. Opening the link never consumes it.
	 * @param token the invitation token
	 * @return the request the token belongs to
	 */
	@Transactional(readOnly = true)
	public CertificateRequest open(String token) {
		return landing(token).request();
	}

	/**
	 * What the landing page behind the invitation link shows: the request, its class and
	 * until when the link works. The page follows the request's status, not only the
	 * invitation row: a request that ended (expired by its timer, cancelled) or was
	 * already submitted is refused with what to do instead.
	 * @param token the invitation token
	 * @return the open invitation
	 */
	@Transactional(readOnly = true)
	public Landing landing(String token) {
		Invitation invitation = usableInvitation(token, false);
		CertificateRequest request = stillInvited(this.requests.findById(invitation.getRequestId()).orElseThrow());
		return new Landing(request, invitation.getExpiresAt(),
				this.classes.findById(request.getCertificateClass()).orElse(null));
	}

	/**
	 * Checks an application as {@link #submit} would, without storing or consuming
	 * anything: what the preview page shows before the applicant confirms.
	 * @param application what the applicant sent
	 * @return what was read from it
	 */
	@Transactional(readOnly = true)
	public Checked check(Application application) {
		Invitation invitation = usableInvitation(application.invitationToken(), false);
		CertificateRequest request = stillInvited(this.requests.findById(invitation.getRequestId()).orElseThrow());
		return check(request, application);
	}

	/**
	 * Submits the application.
	 * @param application what the applicant sent
	 * @return the request, now SUBMITTED
	 */
	@Transactional
	public CertificateRequest submit(Application application) {
		// Locked first, before anything else is read: twenty parallel submissions of one
		// token queue here, and all but the first find it consumed (409) instead of
		// racing
		// each other into the engine.
		Invitation invitation = usableInvitation(application.invitationToken(), true);
		CertificateRequest request = stillInvited(this.requests.findById(invitation.getRequestId()).orElseThrow());
		Checked checked = check(request, application);
		if (checked.keySource() == KeySource.SERVER) {
			return submitForServerKey(invitation, request, checked, application.p12Password());
		}
		InspectedCsr csr = checked.csr();
		Instant now = this.clock.instant();
		invitation.consume(now);
		request.submitted(checked.fullName(), checked.phone(), checked.csrDer(), csr.keyDescription(),
				HexFormat.of().formatHex(csr.spkiSha256()), csr.requestedSubject(), checked.certificateClass(), now);
		request.applicantChoices(checked.keySource(), checked.organisation());
		this.events.record(request.getRequestId(), RequestEventKind.SUBMITTED, RequestEvents.SYSTEM,
				"Application submitted with a " + csr.keyDescription() + " key"
						+ ((checked.phone() != null) ? " and a phone number" : "") + ".");
		this.workflow.applicationSubmitted(request, subjectDn(request));
		this.events.record(request.getRequestId(), RequestEventKind.SUBMITTED, request.getEmail(),
				csr.keyDescription());
		this.statusLinks.confirm(request);
		log.info("Request {} submitted with a {} key", request.getRequestId(), csr.keyDescription());
		return request;
	}

	private Checked check(CertificateRequest request, Application application) {
		String fullName = ApplicantData.fullName(application.fullName());
		if (application.email() != null && !application.email().isBlank()
				&& !sameMailbox(ApplicantData.email(application.email()), request.getEmail())) {
			throw new RequestException(new RequestException(RequestException.Kind.INVALID,
					"The email address must be the one this invitation was sent to (" + request.getEmail()
							+ "): that mailbox is what the certificate will name."),
					"email");
		}
		String phone = ApplicantData.phone(application.phone());
		String organisation = ApplicantData.organisation(application.organisation());
		CertificateClass certificateClass = this.classes.findById(request.getCertificateClass()).orElseThrow();
		KeySource keySource;
		try {
			keySource = KeySource.parse(application.keySource());
		}
		catch (RequestException ex) {
			throw new RequestException(ex, "keySource");
		}
		if (!keySource.allowedBy(certificateClass)) {
			throw new RequestException(new RequestException(RequestException.Kind.INVALID,
					"The class " + certificateClass.getName() + " does not take keys from " + describe(keySource)
							+ "; it takes: " + certificateClass.getKeySources().replace(",", ", ") + "."),
					"keySource");
		}
		if (keySource == KeySource.SERVER) {
			String keyToken = SubjectKeys.choose(certificateClass.getKeyAlgorithms())
				.orElseThrow(() -> new RequestException(new RequestException(RequestException.Kind.INVALID,
						"The server cannot make any of the key types the class " + certificateClass.getName()
								+ " accepts (" + certificateClass.getKeyAlgorithms().replace(",", ", ")
								+ "); send a CSR instead."),
						"keySource"));
			try {
				PasswordStrength.check(application.p12Password(), fullName, request.getEmail(), organisation);
			}
			catch (RequestException ex) {
				throw new RequestException(ex, "p12Password");
			}
			return new Checked(fullName, phone, organisation, keySource, null, null, certificateClass,
					SubjectData.of(fullName, request.getEmail()).distinguishedName(), request.getEmail(), keyToken);
		}
		// A p12Password on a CSR or browser application is ignored: that key never
		// reaches
		// the server, so there is nothing for the password to protect.
		if (application.csrPem() == null || application.csrPem().isBlank()) {
			throw new RequestException(new RequestException(RequestException.Kind.INVALID,
					"csrPem is required: paste the PEM block that begins with -----BEGIN CERTIFICATE REQUEST-----."),
					"csr");
		}
		String profile = certificateClass.getIssuanceProfile();
		byte[] csrDer;
		InspectedCsr csr;
		try {
			csrDer = CsrInspector.decodePem(application.csrPem());
			csr = this.inspector.inspect(csrDer, profile);
		}
		catch (IssuanceRefusedException ex) {
			throw new RequestException(CsrRefusals.toRequestException(ex), "csr");
		}
		try {
			ClassKeyRule.check(certificateClass, csr);
		}
		catch (RequestException ex) {
			throw new RequestException(ex, "csr");
		}
		return new Checked(fullName, phone, organisation, keySource, csrDer, csr, certificateClass,
				SubjectData.of(fullName, request.getEmail()).distinguishedName(), request.getEmail(), null);
	}

	/**
	 * An application that passed every check, not stored yet.
	 *
	 * @param fullName the validated name
	 * @param phone the phone number or {@code null}
	 * @param organisation the organisation or {@code null}
	 * @param keySource where the key was made
	 * @param csrDer the CSR
	 * @param csr what the inspector read from it
	 * @param certificateClass the class
	 * @param certificateSubject the subject the CA will build (not the CSR's)
	 * @param email the mailbox the certificate will name
	 * @param serverKeyType for key source SERVER, the key type the server will make;
	 * {@code null} otherwise (then csrDer and csr are set)
	 */
	public record Checked(String fullName, String phone, String organisation, KeySource keySource, byte[] csrDer,
			InspectedCsr csr, CertificateClass certificateClass, String certificateSubject, String email,
			String serverKeyType) {
	}

	/**
	 * An open invitation, as its landing page shows it.
	 *
	 * @param request the request, still INVITED
	 * @param linkExpiresAt when the link stops working
	 * @param certificateClass the class, or {@code null} when it was deleted meanwhile
	 */
	public record Landing(CertificateRequest request, Instant linkExpiresAt, CertificateClass certificateClass) {
	}

	/**
	 * Key source SERVER: no CSR yet. The key is made at issuance (Task_GenerateKeyPair);
	 * here only the escrow is stored, which nothing opens without the password (see
	 * {@link KeyEscrow}); the password itself is not kept.
	 */
	private CertificateRequest submitForServerKey(Invitation invitation, CertificateRequest request, Checked checked,
			String p12Password) {
		String keyToken = checked.serverKeyType();
		Instant now = this.clock.instant();
		invitation.consume(now);
		String keyDescription = SubjectKeys.describe(keyToken);
		request.submitted(checked.fullName(), checked.phone(), null, keyDescription, null, null,
				checked.certificateClass(), now);
		request.applicantChoices(KeySource.SERVER, checked.organisation());
		char[] password = p12Password.toCharArray();
		try {
			this.serverKeys.create(request.getRequestId(), keyToken, KeyEscrow.create(password, request.getRequestId()),
					now);
		}
		finally {
			java.util.Arrays.fill(password, '\0');
		}
		this.events.record(request.getRequestId(), RequestEventKind.SUBMITTED, RequestEvents.SYSTEM,
				"Application submitted; the server will make a " + keyDescription + " key at issuance"
						+ ((checked.phone() != null) ? "; with a phone number" : "") + ".");
		this.workflow.applicationSubmitted(request, subjectDn(request));
		this.statusLinks.confirm(request);
		log.info("Request {} submitted for a server-made {} key", request.getRequestId(), keyToken);
		return request;
	}

	private static String describe(KeySource source) {
		return switch (source) {
			case BROWSER -> "the browser (BROWSER)";
			case CSR -> "a CSR you send (CSR)";
			case SERVER -> "the server (SERVER)";
		};
	}

	/**
	 * Only a request still waiting for its application takes one. Each other state says
	 * what happened and what to do, and that this link will not work again.
	 */
	private static CertificateRequest stillInvited(CertificateRequest request) {
		return switch (request.getStatus()) {
			case INVITED -> request;
			case CANCELLED -> throw new RequestException(RequestException.Kind.GONE,
					"This request is no longer open: your registration authority cancelled it, and its invitation "
							+ "link will not work "
							+ "again. If you still need a certificate, ask your registration authority for a new "
							+ "invitation.");
			case EXPIRED -> throw new RequestException(RequestException.Kind.GONE,
					"This request is no longer open: it expired before an application was sent, and its invitation "
							+ "link will not work " + "again. Ask your registration authority for a new invitation.");
			default -> throw new RequestException(RequestException.Kind.CONFLICT,
					"This request is no longer open for an application: one has already been submitted, so this "
							+ "invitation link will not "
							+ "work again. The status link in your confirmation mail shows where your request is.");
		};
	}

	private Invitation usableInvitation(String token, boolean lock) {
		if (token == null || token.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"invitationToken is required: use the link from your invitation mail.");
		}
		String hash = Secrets.hashToken(token);
		Invitation invitation = (lock ? this.invitations.lockByTokenHash(hash) : this.invitations.findByTokenHash(hash))
			.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
					"This invitation link is not valid. Check that you copied the whole link from the newest "
							+ "invitation mail (a resent invitation replaces the older link); if it still does not "
							+ "work, ask your registration authority for a new invitation."));
		if (invitation.isConsumed()) {
			throw new RequestException(RequestException.Kind.CONFLICT,
					"This invitation has already been used to submit an application, so it will not work again. "
							+ "The status link in your confirmation mail shows where your request is.");
		}
		if (invitation.isExpiredAt(this.clock.instant())) {
			throw new RequestException(RequestException.Kind.GONE,
					"This invitation has expired and will not work again. Ask your registration authority for a "
							+ "new one.");
		}
		return invitation;
	}

	/**
	 * The subject the CA will build, shown to the officer: built attribute by attribute,
	 * never copied from the CSR.
	 * @param request the request
	 * @return a readable DN with the SAN
	 */
	static String subjectDn(CertificateRequest request) {
		return SubjectData.of(request.getFullName(), request.getEmail()).distinguishedName() + " (SAN rfc822Name: "
				+ request.getEmail() + ")";
	}

	private static boolean sameMailbox(String a, String b) {
		return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
	}

	/**
	 * An application as the applicant sends it.
	 *
	 * @param invitationToken the token from the invitation link
	 * @param csrPem the PKCS#10 request in PEM
	 * @param fullName the applicant's full name
	 * @param email the invited mailbox (optional; must match when given)
	 * @param phone the applicant's phone number (optional unless the class requires one)
	 * @param organisation the applicant's organisation (optional)
	 * @param keySource where the key was made: BROWSER, CSR (the default) or SERVER, as
	 * the class allows
	 * @param p12Password SERVER only: the password the key file will be protected with,
	 * at least {@link PasswordStrength#REQUIRED_BITS} bits strong; never stored
	 */
	public record Application(String invitationToken, String csrPem, String fullName, String email, String phone,
			String organisation, String keySource, String p12Password) {

		/** An application without a p12 password (any key source but SERVER). */
		public Application(String invitationToken, String csrPem, String fullName, String email, String phone,
				String organisation, String keySource) {
			this(invitationToken, csrPem, fullName, email, phone, organisation, keySource, null);
		}

		@Override
		public String toString() {
			// Never the password, should a record ever be logged.
			return "Application[" + this.invitationToken + ", " + this.fullName + ", " + this.keySource + "]";
		}

		/** An application without a phone number. */
		public Application(String invitationToken, String csrPem, String fullName, String email) {
			this(invitationToken, csrPem, fullName, email, null);
		}

		/** An application with a CSR, without an organisation. */
		public Application(String invitationToken, String csrPem, String fullName, String email, String phone) {
			this(invitationToken, csrPem, fullName, email, phone, null, null);
		}

	}

	/**
	 * @param className a class name
	 * @return the class, for the application form to follow it (name, phone, key types)
	 */
	@Transactional(readOnly = true)
	public java.util.Optional<CertificateClass> certificateClass(String className) {
		return (className != null) ? this.classes.findById(className) : java.util.Optional.empty();
	}

}
