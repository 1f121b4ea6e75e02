package org.certflow.request;

/**
 * A request that cannot be carried out as asked. The message is for the person who asked:
 * it says what was wrong and what to do. The web layer maps the kind to an HTTP status.
 */
public class RequestException extends RuntimeException {

	/** What went wrong, independent of the channel that reports it. */
	public enum Kind {

		/** The thing asked for does not exist (unknown request, token or code). */
		NOT_FOUND,
		/** The input is malformed or incomplete. */
		INVALID,
		/**
		 * The input is well-formed but refused by policy (weak key, bad signature...).
		 */
		REFUSED,
		/** The thing was already used or is in a state that does not allow this. */
		CONFLICT,
		/** The thing has expired. */
		GONE,
		/** Wrong secret (PIN). */
		WRONG_SECRET,
		/** Too many wrong attempts; the thing is locked. */
		LOCKED,
		/**
		 * A write based on a version that is no longer current (optimistic locking).
		 */
		STALE,
		/** A write that must name the version it is based on did not. */
		VERSION_REQUIRED

	}

	private final Kind kind;

	private final String field;

	public RequestException(Kind kind, String message) {
		super(message);
		this.kind = kind;
		this.field = null;
	}

	public RequestException(Kind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.field = null;
	}

	/**
	 * The same refusal, naming the form field it concerns, so that a page can show it
	 * next to that field.
	 * @param refusal the refusal
	 * @param field the field's name, as the form and the API call it
	 */
	public RequestException(RequestException refusal, String field) {
		super(refusal.getMessage(), refusal.getCause());
		this.kind = refusal.kind;
		this.field = field;
	}

	/**
	 * @return the form field the refusal concerns, or {@code null} when it concerns the
	 * whole request
	 */
	public String field() {
		return this.field;
	}

	public Kind kind() {
		return this.kind;
	}

}
