package org.certflow.ca;

import java.text.Normalizer;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Turns validated subject data into a subject DN and checks every value on the way. The
 * same rules are linted again on the finished certificate.
 */
final class SubjectRules {

	/**
	 * RFC 5280's ub-common-name. Values hold only characters of the Basic Multilingual
	 * Plane (see {@link #textProblem}), so characters, code points and UTF-16 code units
	 * are one count here: the count of the RA's columns (H2 VARCHAR(64), MySQL utf8mb4)
	 * and of the HTML form's maxlength, so one rule serves the RA and the CA.
	 */
	static final int MAX_ATTRIBUTE_LENGTH = 64;

	/** RFC 5321 path limit; longer mailboxes cannot receive mail anyway. */
	static final int MAX_MAILBOX_LENGTH = 254;

	private static final Pattern LOCAL_PART = Pattern
		.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

	private static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

	private SubjectRules() {
	}

	static X500Name subjectOf(SubjectData data) {
		if (data.hostName() != null) {
			return serverSubjectOf(data);
		}
		String cn = text("common name", data.commonName());
		String o = (data.organization() != null) ? text("organization", data.organization()) : null;
		String c = data.country();
		if (c != null && !COUNTRY.matcher(c).matches()) {
			throw bad("the country must be a two-letter ISO 3166 code in capitals, not '" + printable(c) + "'");
		}
		mailbox(data.emailAddress());
		// Most significant first, as RFC 5280 DNs are written in the certificate. Every
		// value goes in as an ASN.1 string of its own: the builder's String overload
		// would
		// read a value that starts with '#' as hex DER (RFC 4514), so "#Alice" would fail
		// and "#x" would become a broken attribute instead of the name as typed.
		X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
		if (c != null) {
			b.addRDN(BCStyle.C, new DERPrintableString(c));
		}
		if (o != null) {
			b.addRDN(BCStyle.O, new DERUTF8String(o));
		}
		b.addRDN(BCStyle.CN, new DERUTF8String(cn));
		return b.build();
	}

	/**
	 * A server's subject: only its host name, as CN (the TLS Baseline Requirements allow
	 * a CN only when it repeats a SAN entry, which this one does).
	 */
	private static X500Name serverSubjectOf(SubjectData data) {
		String host = hostName(data.hostName());
		if (!host.equals(data.commonName()) || data.organization() != null || data.country() != null) {
			throw bad("a server's subject is its host name and nothing else");
		}
		X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
		b.addRDN(BCStyle.CN, new DERUTF8String(host));
		return b.build();
	}

	/**
	 * Checks a host name for the dNSName SAN: lowercase LDH labels (no wildcard, no IP
	 * address, no trailing dot), at most 253 characters.
	 * @param host the host name
	 * @return the host name unchanged
	 */
	static String hostName(String host) {
		if (host == null || host.isEmpty() || host.length() > 253) {
			throw bad("the host name must have 1 to 253 characters");
		}
		for (String label : host.split("\\.", -1)) {
			if (!DOMAIN_LABEL.matcher(label).matches() || !label.equals(label.toLowerCase(java.util.Locale.ROOT))
					|| label.chars().allMatch(Character::isDigit)) {
				throw bad("the host name '" + printable(host) + "' is not a lowercase DNS name");
			}
		}
		return host;
	}

	/**
	 * Checks a mailbox for the rfc822Name SAN: ASCII only (an internationalised mailbox
	 * would need SmtpUTF8Mailbox, which this CA does not issue), a dot-atom local part
	 * and an LDH domain.
	 * @param mailbox the validated mailbox
	 * @return the mailbox unchanged
	 */
	static String mailbox(String mailbox) {
		if (mailbox == null || mailbox.isEmpty()) {
			throw bad("the email address is missing");
		}
		if (mailbox.length() > MAX_MAILBOX_LENGTH) {
			throw bad("the email address is longer than " + MAX_MAILBOX_LENGTH + " characters");
		}
		int at = mailbox.lastIndexOf('@');
		if (at <= 0 || at != mailbox.indexOf('@') || at == mailbox.length() - 1) {
			throw bad("the email address '" + printable(mailbox) + "' is not of the form local@domain");
		}
		String local = mailbox.substring(0, at);
		String domain = mailbox.substring(at + 1);
		if (local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
			throw bad("the local part of the email address '" + printable(mailbox) + "' is not accepted");
		}
		String[] labels = domain.split("\\.", -1);
		if (labels.length < 2) {
			throw bad("the domain of the email address '" + printable(mailbox) + "' is not fully qualified");
		}
		for (String label : labels) {
			if (!DOMAIN_LABEL.matcher(label).matches()) {
				throw bad("the domain of the email address '" + printable(mailbox) + "' is not a valid host name");
			}
		}
		return mailbox;
	}

	private static String text(String what, String value) {
		String problem = textProblem(value);
		if (problem != null) {
			throw bad("the " + what + " " + problem);
		}
		return value;
	}

	/**
	 * Why a DN attribute value cannot go into a certificate, or {@code null} when it can.
	 * @param value the value
	 * @return the problem
	 */
	static String textProblem(String value) {
		if (value == null || value.isEmpty()) {
			return "is empty";
		}
		if (value.length() > MAX_ATTRIBUTE_LENGTH) {
			return "is longer than " + MAX_ATTRIBUTE_LENGTH + " characters";
		}
		if (!value.equals(value.strip())) {
			return "starts or ends with white space";
		}
		for (int i = 0; i < value.length();) {
			int cp = value.codePointAt(i);
			if (Character.isISOControl(cp) || isBidiControl(cp) || Character.getType(cp) == Character.FORMAT
					|| Character.getType(cp) == Character.LINE_SEPARATOR
					|| Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
					|| Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED
					|| Character.getType(cp) == Character.PRIVATE_USE) {
				return "contains the control or formatting character U+" + String.format("%04X", cp);
			}
			if (Character.isSupplementaryCodePoint(cp)) {
				// The RA keeps names in the process engine too, whose MySQL tables are
				// utf8mb3 (three bytes at most): a character beyond the BMP cannot be
				// stored
				// there, so it is refused here, for every database alike.
				return "contains U+" + String.format("%04X", cp) + ", a character outside the Basic Multilingual "
						+ "Plane (such as an emoji), which CertFlow does not accept in names";
			}
			i += Character.charCount(cp);
		}
		if (!Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
			return "is not in Unicode normal form C";
		}
		return null;
	}

	private static boolean isBidiControl(int cp) {
		return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
				|| (cp >= 0x2066 && cp <= 0x2069);
	}

	/** Makes hostile input safe to echo in a message. */
	private static String printable(String s) {
		return escaped(s, 80);
	}

	/**
	 * Replaces control, bidi and formatting characters and lone surrogates with
	 * backslash-u escapes, and characters beyond the BMP with {@code \\u{...}}, so text
	 * from a CSR can be shown to people without reordering or hiding what surrounds it,
	 * and stored wherever a name can be.
	 * @param s the text
	 * @param maxCodePoints how much of it to keep
	 * @return the escaped text
	 */
	static String escaped(String s, int maxCodePoints) {
		StringBuilder out = new StringBuilder();
		s.codePoints().limit(maxCodePoints).forEach((cp) -> {
			if (Character.isISOControl(cp) || isBidiControl(cp) || Character.getType(cp) == Character.FORMAT
					|| Character.getType(cp) == Character.SURROGATE) {
				out.append(String.format("\\u%04X", cp));
			}
			else if (Character.isSupplementaryCodePoint(cp)) {
				// Shown text is also stored where only the BMP fits (see textProblem).
				out.append(String.format("\\u{%X}", cp));
			}
			else {
				out.appendCodePoint(cp);
			}
		});
		return out.toString();
	}

	private static IssuanceRefusedException bad(String message) {
		return new IssuanceRefusedException(RefusalReason.BAD_SUBJECT, message);
	}

}
