package org.certflow.request;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rules for data that ends up in a certificate subject or SAN. Checked where data enters,
 * so that an officer never approves something the CA would refuse to sign.
 */
final class ApplicantData {

	/** RFC 5280 upper bound for a common name. */
	static final int MAX_NAME_LENGTH = 64;

	private static final int MAX_EMAIL_LENGTH = 254;

	// A deliberately plain mailbox syntax: dot-atom local part and a DNS domain with a
	// dot. Quoted
	// local parts and address literals are legal in mail but refused here, because S/MIME
	// clients
	// disagree on how to match them.
	private static final Pattern MAILBOX = Pattern
		.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
				+ "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

	private ApplicantData() {
	}

	static String fullName(String value) {
		if (value == null || value.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID, "Full name is required.");
		}
		String name = value.strip();
		if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Full name is longer than " + MAX_NAME_LENGTH + " characters; please shorten it.");
		}
		boolean unprintable = name.codePoints().anyMatch(ApplicantData::isControlOrBidi);
		if (unprintable) {
			throw new RequestException(RequestException.Kind.INVALID,
					"Full name contains control or text-direction characters; please type it plainly.");
		}
		return name;
	}

	static String email(String value) {
		if (value == null || value.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID, "Email address is required.");
		}
		String email = value.strip();
		int at = email.lastIndexOf('@');
		if (email.length() > MAX_EMAIL_LENGTH || at > 64 || !MAILBOX.matcher(email).matches()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"'" + printable(email) + "' is not an email address CertFlow can certify.");
		}
		// Domains are case-insensitive; the local part is kept as typed (RFC 5321 2.4).
		return email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT);
	}

	private static boolean isControlOrBidi(int codePoint) {
		return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT
				|| Character.getType(codePoint) == Character.LINE_SEPARATOR
				|| Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR;
	}

	private static String printable(String value) {
		String shown = value.codePoints()
			.map((c) -> isControlOrBidi(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		return (shown.length() > 80) ? shown.substring(0, 80) + "..." : shown;
	}

}
