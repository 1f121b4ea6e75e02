package org.certflow.delivery;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The applicant's capability to collect the issued certificate: a 256-bit code (hash
 * stored) plus a one-time PIN (PBKDF2 hash stored) with a limit on wrong attempts.
 */
@Entity
@Table(name = "activation")
public class ActivationCode {

	@Id
	@Column(name = "request_id", length = 36)
	private String requestId;

	@Column(name = "code_hash", nullable = false, length = 64)
	private String codeHash;

	@Column(name = "pin_hash", nullable = false, length = 255)
	private String pinHash;

	@Column(name = "failed_attempts", nullable = false)
	private int failedAttempts;

	@Column(name = "expires_at", nullable = false)
	private Instant expiresAt;

	@Column(name = "used_at")
	private Instant usedAt;

	@Column(name = "locked_at")
	private Instant lockedAt;

	protected ActivationCode() {
	}

	ActivationCode(String requestId, String codeHash, String pinHash, Instant expiresAt) {
		this.requestId = requestId;
		this.codeHash = codeHash;
		this.pinHash = pinHash;
		this.expiresAt = expiresAt;
	}

	/**
	 * Replaces code and PIN, as a retried activation mail does; attempts start again.
	 */
	void renew(String codeHash, String pinHash, Instant expiresAt) {
		this.codeHash = codeHash;
		this.pinHash = pinHash;
		this.expiresAt = expiresAt;
		this.failedAttempts = 0;
		this.lockedAt = null;
	}

	String getPinHash() {
		return this.pinHash;
	}

	public String getRequestId() {
		return this.requestId;
	}

	public int getFailedAttempts() {
		return this.failedAttempts;
	}

	public boolean isUsed() {
		return this.usedAt != null;
	}

	public boolean isLocked() {
		return this.lockedAt != null;
	}

	public Instant getExpiresAt() {
		return this.expiresAt;
	}

	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/**
	 * Counts a wrong PIN and locks at the limit.
	 * @return attempts left
	 */
	int wrongPin(int maxAttempts, Instant now) {
		this.failedAttempts++;
		if (this.failedAttempts >= maxAttempts) {
			this.lockedAt = now;
		}
		return Math.max(0, maxAttempts - this.failedAttempts);
	}

	void use(Instant now) {
		this.usedAt = now;
	}

}
