package org.certflow.request;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The capability an applicant holds to submit one application. Only the token's hash is
 * stored; opening the link never consumes it, a successful submission does.
 */
@Entity
@Table(name = "invitation")
public class Invitation {

	@Id
	@Column(name = "request_id", length = 36)
	private String requestId;

	@Column(name = "token_hash", nullable = false, length = 64)
	private String tokenHash;

	@Column(name = "expires_at", nullable = false)
	private Instant expiresAt;

	@Column(name = "consumed_at")
	private Instant consumedAt;

	protected Invitation() {
	}

	public Invitation(String requestId, String tokenHash, Instant expiresAt) {
		this.requestId = requestId;
		this.tokenHash = tokenHash;
		this.expiresAt = expiresAt;
	}

	public String getRequestId() {
		return this.requestId;
	}

	public Instant getExpiresAt() {
		return this.expiresAt;
	}

	public boolean isConsumed() {
		return this.consumedAt != null;
	}

	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/**
	 * Replaces the token, as a resent invitation mail does: only the newest mailed link
	 * works.
	 * @param tokenHash hash of the new token
	 * @param expiresAt its expiry
	 */
	void renew(String tokenHash, Instant expiresAt) {
		this.tokenHash = tokenHash;
		this.expiresAt = expiresAt;
	}

	void consume(Instant now) {
		this.consumedAt = now;
	}

}
