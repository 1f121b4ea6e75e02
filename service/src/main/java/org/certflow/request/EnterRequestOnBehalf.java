package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import org.certflow.ca.CsrInspector;
import org.certflow.ca.InspectedCsr;
import org.certflow.ca.IssuanceRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: an RA admin enters a complete request (applicant data and CSR) on the
 * applicant's behalf, without an invitation. The CSR is checked with the same inspector
 * and rules as an application; the process starts at its on-behalf start event and goes
 * through the same check and approval path; the applicant gets only the activation mail.
 *
 * <p>
 * The admin's client names each request with an idempotency key, unique per admin: the
 * same key again returns the request it made (so a retry after a lost answer creates no
 * second request), with other data it is refused, and two posts with one key at the same
 * moment meet on the unique index, where one wins and the other rolls back whole.
 */
@Service
@RetriedOnLockConflict
public class EnterRequestOnBehalf {

	/** Letters, digits and {@code -_.:}, 1 to 64 characters (a UUID fits). */
	public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{3,32}");

	private static final Logger log = LoggerFactory.getLogger(EnterRequestOnBehalf.class);

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final Invitations invitations;

	private final CsrInspector inspector;

	private final RequestWorkflow workflow;

	private final RequestEvents events;

	private final Clock clock;

	EnterRequestOnBehalf(CertificateRequests requests, CertificateClasses classes, Invitations invitations,
			CsrInspector inspector, RequestWorkflow workflow, RequestEvents events, Clock clock) {
		this.requests = requests;
		this.classes = classes;
		this.invitations = invitations;
		this.inspector = inspector;
		this.workflow = workflow;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * @param entry what the admin entered
	 * @param idempotencyKey the client's key for this request
	 * @param admin the RA admin
	 * @return the request and whether this call created it
	 */
	@Transactional
	public Entered enter(Entry entry, String idempotencyKey, String admin) {
		if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Send an Idempotency-Key header (1 to 64 letters, digits or -_.:, a new UUID per request is "
							+ "best): a repeated POST with the same key returns the request it made.");
		}
		String email = ApplicantData.email(entry.email());
		String fullName = ApplicantData.fullName(entry.fullName());
		String phone = optional("phone", entry.phone(), 32);
		if (phone != null && !PHONE.matcher(phone).matches()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"phone must be a telephone number such as +44 20 7946 0000.");
		}
		String organisation = optional("organisation", entry.organisation(), 64);
		CertificateClass cls = ClassChoice.forNewRequest(this.classes, entry.certificateClass());
		if (entry.csrPem() == null || entry.csrPem().isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"csrPem is required: paste the PEM block that begins with -----BEGIN CERTIFICATE REQUEST-----.");
		}
		byte[] csrDer;
		InspectedCsr csr;
		try {
			csrDer = CsrInspector.decodePem(entry.csrPem());
			csr = this.inspector.inspect(csrDer, cls.getIssuanceProfile());
		}
		catch (IssuanceRefusedException ex) {
			throw CsrRefusals.toRequestException(ex);
		}
		ClassKeyRule.check(cls, csr);
		String spki = HexFormat.of().formatHex(csr.spkiSha256());
		CertificateRequest earlier = this.requests.findByCreatedByAndIdempotencyKey(admin, idempotencyKey).orElse(null);
		if (earlier != null) {
			if (earlier.getEmail().toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))
					&& earlier.getCertificateClass().equals(cls.getName())
					&& Objects.equals(earlier.getPublicKeySha256(), spki)) {
				return new Entered(earlier, false);
			}
			throw new RequestException(RequestException.Kind.REFUSED,
					"Idempotency-Key '" + idempotencyKey + "' was already used for request " + earlier.getRequestId()
							+ " with other data. Use a new key for a new request.");
		}
		Instant now = this.clock.instant();
		CertificateRequest request = CertificateRequest.onBehalf(UUID.randomUUID().toString(), cls, email, fullName,
				phone, organisation, csrDer, csr.keyDescription(), spki, csr.requestedSubject(), admin, idempotencyKey,
				now);
		// Flushed at once: a concurrent twin fails here, on the unique key, before either
		// reaches the engine.
		this.requests.saveAndFlush(request);
		// Every request has an invitation row; this one was never mailed and cannot be
		// used.
		Invitation none = new Invitation(request.getRequestId(), "none-" + request.getRequestId(), now);
		none.consume(now);
		this.invitations.save(none);
		this.workflow.startOnBehalf(request, cls, SubmitApplication.subjectDn(request));
		this.events.record(request.getRequestId(), RequestEventKind.SUBMITTED_ON_BEHALF, admin, csr.keyDescription());
		log.info("Request {} entered by {} on the applicant's behalf for class {}", request.getRequestId(), admin,
				cls.getName());
		return new Entered(request, true);
	}

	private static String optional(String field, String value, int maxLength) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		if (text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
			throw new RequestException(RequestException.Kind.INVALID,
					field + " must be plain text of at most " + maxLength + " characters.");
		}
		return text;
	}

	/**
	 * A request as the RA admin enters it.
	 *
	 * @param email the applicant's mailbox (activation mail, SAN)
	 * @param fullName the applicant's full name
	 * @param certificateClass the class
	 * @param phone optional telephone number, for the officers
	 * @param organisation optional organisation, for the officers
	 * @param csrPem the applicant's PKCS#10 request in PEM
	 */
	public record Entry(String email, String fullName, String certificateClass, String phone, String organisation,
			String csrPem) {
	}

	/**
	 * @param request the request
	 * @param created whether this call created it (false: an earlier call with the same
	 * key did)
	 */
	public record Entered(CertificateRequest request, boolean created) {
	}

}
