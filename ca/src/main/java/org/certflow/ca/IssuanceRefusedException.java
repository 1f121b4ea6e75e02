package org.certflow.ca;

/**
 * The CA refused to issue. The message is meant for a person: it says what was wrong and,
 * where there is one, what to do about it. It never contains key material.
 */
public class IssuanceRefusedException extends RuntimeException {

	private final RefusalReason reason;

	public IssuanceRefusedException(RefusalReason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public IssuanceRefusedException(RefusalReason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public RefusalReason reason() {
		return this.reason;
	}

}
