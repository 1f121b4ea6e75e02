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

	@Column(name = "certificate_serial", length = 64)
	private String certificateSerial;

	@Column(name = "created_by", nullable = false, length = 128)
	private String createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Column(name = "phone", length = 32)
	private String phone;

	@Column(name = "organisation", length = 64)
	private String organisation;

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

	void submitted(String fullName, byte[] csrDer, String keyDescription, String publicKeySha256,
			String requestedSubject, Instant now) {
		// The move first: a refused one leaves every field as it was.
		moveTo(RequestStatus.SUBMITTED, now);
		this.fullName = fullName;
		this.csrDer = csrDer.clone();
		this.keyDescription = keyDescription;
		this.publicKeySha256 = publicKeySha256;
		this.requestedSubject = requestedSubject;
	}

	/**
	 * A request an RA admin entered complete, on the applicant's behalf: it starts
	 * SUBMITTED, without an invitation.
	 */
	static CertificateRequest onBehalf(String requestId, String certificateClass, String email, String fullName,
			String phone, String organisation, byte[] csrDer, String keyDescription, String publicKeySha256,
			String requestedSubject, String createdBy, String idempotencyKey, Instant now) {
		CertificateRequest request = new CertificateRequest(requestId, certificateClass, email, fullName, createdBy,
				now);
		request.submitted(fullName, csrDer, keyDescription, publicKeySha256, requestedSubject, now);
		request.phone = phone;
		request.organisation = organisation;
		request.idempotencyKey = idempotencyKey;
		return request;
	}

	void decided(String decision, String reason, String officer, RequestStatus status, Instant deferredUntil,
			Instant now) {
		moveTo(status, now);
		this.decision = decision;
		this.deferredUntil = deferredUntil;
		this.decisionReason = reason;
		this.decidedBy = officer;
		this.decidedAt = now;
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
		moves.put(RequestStatus.SUBMITTED, EnumSet.of(RequestStatus.PENDING_VALIDATION, RequestStatus.REJECTED));
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

	public String getCertificateSerial() {
		return this.certificateSerial;
	}

	public String getPhone() {
		return this.phone;
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

}
