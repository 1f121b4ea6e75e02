package org.certflow.request;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One request for one certificate, from invitation to collection. Its id is the business
 * key of the process instance and is shown everywhere (API, mails, Cockpit).
 */
@Entity
@Table(name = "certificate_request")
public class CertificateRequest {

	@Id
	@Column(name = "request_id", length = 36)
	private String requestId;

	// Written by the batch that made the request (its own SQL, in the same transaction);
	// read here only, for the search.
	@Column(name = "batch_id", length = 40, insertable = false, updatable = false)
	private String batchId;

	@Enumerated(EnumType.STRING)
	@Column(name = "status", nullable = false, length = 32)
	private RequestStatus status;

	@Column(name = "certificate_class", nullable = false, length = 64)
	private String certificateClass;

	@Column(name = "email", nullable = false, length = 254)
	private String email;

	@Column(name = "full_name", nullable = false, length = 64)
	private String fullName;

	@Column(name = "csr_der", length = 16384)
	private byte[] csrDer;

	@Column(name = "key_description", length = 64)
	private String keyDescription;

	@Column(name = "public_key_sha256", length = 64)
	private String publicKeySha256;

	@Column(name = "requested_subject", length = 1024)
	private String requestedSubject;

	@Column(name = "phone", length = 32)
	private String phone;

	@Column(name = "class_issuance_profile", length = 64)
	private String classIssuanceProfile;

	@Column(name = "class_validity_days")
	private Integer classValidityDays;

	@Column(name = "class_issue_immediately")
	private Boolean classIssueImmediately;

	@Column(name = "class_allowed_domains", length = 2000)
	private String classAllowedDomains;

	@Column(name = "class_phone_required")
	private Boolean classPhoneRequired;

	@Column(name = "class_pin_required")
	private Boolean classPinRequired;

	@Column(name = "approval_route", length = 16)
	private String approvalRoute;

	@Column(name = "first_approved_by", length = 128)
	private String firstApprovedBy;

	@Column(name = "decision", length = 16)
	private String decision;

	@Column(name = "decision_reason", length = 2000)
	private String decisionReason;

	@Column(name = "decided_by", length = 128)
	private String decidedBy;

	@Column(name = "decided_at")
	private Instant decidedAt;

	@Column(name = "deferred_until")
	private Instant deferredUntil;

	@Column(name = "escalated_at")
	private Instant escalatedAt;

	@Column(name = "certificate_serial", length = 64)
	private String certificateSerial;

	@Column(name = "created_by", nullable = false, length = 128)
	private String createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Column(name = "organisation", length = 64)
	private String organisation;

	@Enumerated(EnumType.STRING)
	@Column(name = "key_source", length = 16)
	private KeySource keySource;

	@Column(name = "idempotency_key", length = 64)
	private String idempotencyKey;

	@Version
	@Column(name = "version", nullable = false)
	private long version;

	protected CertificateRequest() {
	}

	CertificateRequest(String requestId, String certificateClass, String email, String fullName, String createdBy,
			Instant now) {
		this.requestId = requestId;
		this.certificateClass = certificateClass;
		this.email = email;
		this.fullName = fullName;
		this.createdBy = createdBy;
		this.createdAt = now;
		this.updatedAt = now;
		this.status = RequestStatus.INVITED;
	}

	void submitted(String fullName, String phone, byte[] csrDer, String keyDescription, String publicKeySha256,
			String requestedSubject, CertificateClass certificateClass, Instant now) {
		// The move first: a refused one leaves every field as it was.
		moveTo(RequestStatus.SUBMITTED, now);
		this.fullName = fullName;
		this.phone = phone;
		// What routing and issuance need from the class, as it is now: a later change of
		// the class never alters this request.
		this.classIssuanceProfile = certificateClass.getIssuanceProfile();
		this.classValidityDays = certificateClass.getValidityDays();
		this.classIssueImmediately = certificateClass.isIssueImmediately();
		this.classAllowedDomains = certificateClass.getAllowedDomains();
		this.classPhoneRequired = certificateClass.isPhoneRequired();
		this.classPinRequired = certificateClass.isPinRequired();
		// A server-made key has no CSR until issuance (keyMade).
		this.csrDer = (csrDer != null) ? csrDer.clone() : null;
		this.keyDescription = keyDescription;
		this.publicKeySha256 = publicKeySha256;
		this.requestedSubject = requestedSubject;
	}

	/**
	 * Records where the key pair comes from and the organisation the applicant gave.
	 */
	void applicantChoices(KeySource keySource, String organisation) {
		this.keySource = keySource;
		if (organisation != null) {
			this.organisation = organisation;
		}
	}

	/**
	 * The key pair the server made at issuance (key source SERVER): its CSR replaces the
	 * missing one, so the signer checks it as any other.
	 */
	void keyMade(byte[] csrDer, String keyDescription, String publicKeySha256, Instant now) {
		this.csrDer = csrDer.clone();
		this.keyDescription = keyDescription;
		this.publicKeySha256 = publicKeySha256;
		this.updatedAt = now;
	}

	void routed(String route, Instant now) {
		this.approvalRoute = route;
		this.updatedAt = now;
	}

	/**
	 * The first of two approvals under dual control: the request stays with the officers.
	 */
	void firstApproval(String officer, Instant now) {
		moveTo(RequestStatus.PENDING_VALIDATION, now);
		this.decision = "approve";
		this.decisionReason = null;
		this.deferredUntil = null;
		this.firstApprovedBy = officer;
		this.decidedBy = officer;
		this.decidedAt = now;
	}

	/**
	 * A request an RA admin entered complete, on the applicant's behalf: it starts
	 * SUBMITTED, without an invitation, with the class's settings copied as at any
	 * submission.
	 */
	static CertificateRequest onBehalf(String requestId, CertificateClass certificateClass, String email,
			String fullName, String phone, String organisation, byte[] csrDer, String keyDescription,
			String publicKeySha256, String requestedSubject, String createdBy, String idempotencyKey, Instant now) {
		CertificateRequest request = new CertificateRequest(requestId, certificateClass.getName(), email, fullName,
				createdBy, now);
		request.submitted(fullName, phone, csrDer, keyDescription, publicKeySha256, requestedSubject, certificateClass,
				now);
		request.organisation = organisation;
		request.keySource = KeySource.CSR;
		request.idempotencyKey = idempotencyKey;
		return request;
	}

	void decided(String decision, String reason, String officer, RequestStatus status, Instant deferredUntil,
			Instant now) {
		moveTo(status, now);
		if (status == RequestStatus.DEFERRED) {
			// Back to the first step: both approvals are needed again after a deferral.
			this.firstApprovedBy = null;
		}
		this.decision = decision;
		this.deferredUntil = deferredUntil;
		this.decisionReason = reason;
		this.decidedBy = officer;
		this.decidedAt = now;
	}

	/** Flags the request as escalated; the first escalation's time is kept. */
	void escalated(Instant now) {
		if (this.escalatedAt == null) {
			this.escalatedAt = now;
			this.updatedAt = now;
		}
	}

	void rejected(String reason, Instant now) {
		moveTo(RequestStatus.REJECTED, now);
		if (reason != null) {
			this.decisionReason = reason;
		}
	}

	/**
	 * Moves the request on. Staying in the same status is allowed, so a retried step
	 * changes nothing; every other move must be in {@link #LEGAL_MOVES}.
	 * @throws RequestException (CONFLICT) for a move the request's life does not have,
	 * such as collecting after expiry or revocation, or approving a rejected request
	 */
	void moveTo(RequestStatus status, Instant now) {
		if (status != this.status && !LEGAL_MOVES.get(this.status).contains(status)) {
			throw new RequestException(RequestException.Kind.CONFLICT,
					"Request " + this.requestId + " is " + this.status + " and cannot become " + status + ".");
		}
		this.status = status;
		this.updatedAt = now;
	}

	/**
	 * The moves a request can make, from invitation to its end. A certificate that exists
	 * (APPROVED after signing, ISSUED, COLLECTED, EXPIRED uncollected) can be revoked;
	 * REJECTED and REVOKED are final.
	 */
	/** The statuses an RA admin may cancel a request in: before collection. */
	static final Set<RequestStatus> CANCELLABLE = EnumSet.of(RequestStatus.INVITED, RequestStatus.SUBMITTED,
			RequestStatus.PENDING_VALIDATION, RequestStatus.DEFERRED, RequestStatus.APPROVED, RequestStatus.ISSUED);

	static final Map<RequestStatus, Set<RequestStatus>> LEGAL_MOVES = legalMoves();

	private static Map<RequestStatus, Set<RequestStatus>> legalMoves() {
		Map<RequestStatus, Set<RequestStatus>> moves = new EnumMap<>(RequestStatus.class);
		moves.put(RequestStatus.INVITED, EnumSet.of(RequestStatus.SUBMITTED, RequestStatus.EXPIRED));
		// The approval policy may approve, reject or defer a submitted request itself.
		moves.put(RequestStatus.SUBMITTED, EnumSet.of(RequestStatus.PENDING_VALIDATION, RequestStatus.REJECTED,
				RequestStatus.APPROVED, RequestStatus.DEFERRED));
		moves.put(RequestStatus.PENDING_VALIDATION,
				EnumSet.of(RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.DEFERRED));
		moves.put(RequestStatus.DEFERRED, EnumSet.of(RequestStatus.PENDING_VALIDATION));
		moves.put(RequestStatus.APPROVED,
				EnumSet.of(RequestStatus.ISSUED, RequestStatus.REJECTED, RequestStatus.REVOKED));
		moves.put(RequestStatus.ISSUED,
				EnumSet.of(RequestStatus.COLLECTED, RequestStatus.EXPIRED, RequestStatus.REVOKED));
		moves.put(RequestStatus.COLLECTED, EnumSet.of(RequestStatus.REVOKED));
		moves.put(RequestStatus.EXPIRED, EnumSet.of(RequestStatus.REVOKED));
		moves.put(RequestStatus.REJECTED, EnumSet.noneOf(RequestStatus.class));
		moves.put(RequestStatus.REVOKED, EnumSet.noneOf(RequestStatus.class));
		moves.put(RequestStatus.CANCELLED, EnumSet.noneOf(RequestStatus.class));
		for (RequestStatus from : CANCELLABLE) {
			moves.get(from).add(RequestStatus.CANCELLED);
		}
		return Collections.unmodifiableMap(moves);
	}

	/**
	 * @return whether an RA admin may still cancel this request (before collection)
	 */
	public boolean isCancellable() {
		return CANCELLABLE.contains(this.status);
	}

	public String getRequestId() {
		return this.requestId;
	}

	public RequestStatus getStatus() {
		return this.status;
	}

	public String getCertificateClass() {
		return this.certificateClass;
	}

	public String getEmail() {
		return this.email;
	}

	public String getFullName() {
		return this.fullName;
	}

	public byte[] getCsrDer() {
		return (this.csrDer != null) ? this.csrDer.clone() : null;
	}

	public String getKeyDescription() {
		return this.keyDescription;
	}

	public String getPublicKeySha256() {
		return this.publicKeySha256;
	}

	public String getRequestedSubject() {
		return this.requestedSubject;
	}

	/**
	 * @return the applicant's phone number, or {@code null} when none was given
	 */
	public String getPhone() {
		return this.phone;
	}

	/**
	 * @return the batch upload that made this request, or {@code null}
	 */
	public String getBatchId() {
		return this.batchId;
	}

	/**
	 * @return the class's issuance profile as snapshotted at submission, or {@code null}
	 * for a request submitted before snapshots (or not yet submitted)
	 */
	public String getClassIssuanceProfile() {
		return this.classIssuanceProfile;
	}

	public Boolean getClassIssueImmediately() {
		return this.classIssueImmediately;
	}

	public String getClassAllowedDomains() {
		return this.classAllowedDomains;
	}

	public Boolean getClassPhoneRequired() {
		return this.classPhoneRequired;
	}

	public Boolean getClassPinRequired() {
		return this.classPinRequired;
	}

	/**
	 * @return the route the approval policy chose, or {@code null} before it ran
	 */
	public String getApprovalRoute() {
		return this.approvalRoute;
	}

	/**
	 * @return under dual control, who gave the first approval, else {@code null}
	 */
	public String getFirstApprovedBy() {
		return this.firstApprovedBy;
	}

	public String getDecision() {
		return this.decision;
	}

	public String getDecisionReason() {
		return this.decisionReason;
	}

	public String getDecidedBy() {
		return this.decidedBy;
	}

	public Instant getDecidedAt() {
		return this.decidedAt;
	}

	/**
	 * @return when a deferred application returns to the officers' queue, or {@code null}
	 * unless the last decision was a deferral
	 */
	public Instant getDeferredUntil() {
		return this.deferredUntil;
	}

	/**
	 * @return when validation was first escalated to the supervisors, or null
	 */
	public Instant getEscalatedAt() {
		return this.escalatedAt;
	}

	public String getCertificateSerial() {
		return this.certificateSerial;
	}

	public String getOrganisation() {
		return this.organisation;
	}

	public String getIdempotencyKey() {
		return this.idempotencyKey;
	}

	public String getCreatedBy() {
		return this.createdBy;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	/**
	 * @return where the key pair comes from; CSR for requests from before key sources
	 */
	public KeySource getKeySource() {
		return (this.keySource != null) ? this.keySource : KeySource.CSR;
	}

}
