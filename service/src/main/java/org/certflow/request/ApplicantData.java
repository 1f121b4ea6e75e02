package org.certflow.request;

import java.util.Locale;

import org.certflow.ca.IssuanceRefusedException;
import org.certflow.ca.SubjectData;

/**
 * Data that ends up in a certificate subject or SAN, checked where it enters with the
 * CA's own rules ({@link SubjectData#check()}), so that an officer never approves
 * something the CA would refuse to sign.
 */
final class ApplicantData {

	// Stands in for the other half while one field is checked on its own.
	private static final String SAMPLE_NAME = "Applicant";

	private static final String SAMPLE_MAILBOX = "applicant@example.org";

	private ApplicantData() {
	}

	static String fullName(String value) {
		if (value == null || value.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID, "Full name is required.");
		}
		String name = value.strip();
		check(new SubjectData(name, SAMPLE_MAILBOX, null, null), "Full name");
		return name;
	}

	static String email(String value) {
		if (value == null || value.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID, "Email address is required.");
		}
		String email = value.strip();
		int at = email.lastIndexOf('@');
		// Domains are case-insensitive; the local part is kept as typed (RFC 5321 2.4).
		String normalized = (at < 0) ? email
				: email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT);
		check(new SubjectData(SAMPLE_NAME, normalized, null, null), "Email address");
		return normalized;
	}

	private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+?[0-9][0-9 ()/.-]{4,30}");

	/**
	 * @param value a phone number as typed, or blank
	 * @return the number without surrounding blanks, or {@code null} when none was given
	 */
	static String phone(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String phone = value.strip();
		long digits = phone.chars().filter(Character::isDigit).count();
		if (phone.length() > 32 || !PHONE.matcher(phone).matches() || digits < 5 || digits > 15) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Phone number must be 5 to 15 digits with an optional leading + and spaces, "
							+ "such as +41 44 123 45 67.");
		}
		return phone;
	}

	/**
	 * @param value an organisation as typed, or blank
	 * @return the organisation without surrounding blanks, or {@code null} when none was
	 * given
	 */
	static String organisation(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		if (text.length() > 64 || text.chars().anyMatch(Character::isISOControl)) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Organisation must be plain text of at most 64 characters.");
		}
		return text;
	}

	private static void check(SubjectData data, String field) {
		try {
			data.check();
		}
		catch (IssuanceRefusedException ex) {
			throw new RequestException(RequestException.Kind.INVALID,
					field + " cannot go into a certificate: " + ex.getMessage() + ".");
		}
	}

}
