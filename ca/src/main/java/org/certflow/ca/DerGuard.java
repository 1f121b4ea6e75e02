package org.certflow.ca;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Walks untrusted DER before any parser sees it. Parsers are forgiving (BER lengths,
 * trailing bytes) and recursive; this walk is iterative over siblings and bounded in
 * depth, so hostile input is refused cheaply: indefinite or non-minimal lengths, trailing
 * garbage, deep nesting and oversize blobs never reach Bouncy Castle.
 */
final class DerGuard {

	/**
	 * A PKCS#10 request with an 8192-bit RSA key and a few extensions fits well within
	 * this.
	 */
	static final int MAX_CSR_BYTES = 16 * 1024;

	static final int MAX_DEPTH = 24;

	private DerGuard() {
	}

	/**
	 * Checks that {@code der} is exactly one strictly DER-encoded TLV.
	 * @param der the input
	 * @param maxBytes size limit
	 * @return {@code null} when well-formed, else a description of the first problem
	 */
	static String problem(byte[] der, int maxBytes) {
		if (der == null || der.length == 0) {
			return "is empty";
		}
		if (der.length > maxBytes) {
			return "is " + der.length + " bytes, more than the " + maxBytes + " allowed";
		}
		try {
			int end = walk(der, 0, der.length, 0);
			if (end != der.length) {
				return "has " + (der.length - end) + " bytes of trailing data after the DER structure";
			}
			return null;
		}
		catch (Malformed ex) {
			return ex.getMessage();
		}
	}

	/** Parses one TLV at {@code pos} and returns the offset after it. */
	private static int walk(byte[] b, int pos, int limit, int depth) throws Malformed {
		if (depth > MAX_DEPTH) {
			throw new Malformed("nests deeper than " + MAX_DEPTH + " levels");
		}
		if (pos >= limit) {
			throw new Malformed("is truncated");
		}
		int tag = b[pos++] & 0xff;
		if ((tag & 0x1f) == 0x1f) {
			// High tag numbers: never used in the structures we parse, refuse rather than
			// guess.
			throw new Malformed("uses a high tag number");
		}
		boolean constructed = (tag & 0x20) != 0;
		boolean universal = (tag & 0xc0) == 0;
		int number = tag & 0x1f;
		if (universal && constructed && number != 0x10 && number != 0x11) {
			// Only SEQUENCE and SET are constructed in DER; constructed strings are BER.
			throw new Malformed("uses a constructed string encoding (BER, not DER)");
		}
		if (universal && !constructed && (number == 0x10 || number == 0x11)) {
			throw new Malformed("has a SEQUENCE or SET encoded as primitive");
		}
		if (pos >= limit) {
			throw new Malformed("is truncated");
		}
		int first = b[pos++] & 0xff;
		long length;
		if (first < 0x80) {
			length = first;
		}
		else if (first == 0x80) {
			throw new Malformed("uses indefinite-length encoding (BER, not DER)");
		}
		else {
			int n = first & 0x7f;
			if (n > 4) {
				throw new Malformed("has a length field of " + n + " bytes");
			}
			if (pos + n > limit) {
				throw new Malformed("is truncated");
			}
			if (b[pos] == 0) {
				throw new Malformed("has a non-minimal length encoding");
			}
			length = 0;
			for (int i = 0; i < n; i++) {
				length = (length << 8) | (b[pos++] & 0xff);
			}
			if (length < 0x80) {
				throw new Malformed("has a non-minimal length encoding");
			}
		}
		if (length > limit - pos) {
			throw new Malformed("is truncated (a length points past the end)");
		}
		int end = pos + (int) length;
		if (constructed) {
			int p = pos;
			while (p < end) {
				p = walk(b, p, end, depth + 1);
			}
		}
		else if (universal) {
			checkContents(number, b, pos, (int) length);
		}
		return end;
	}

	/**
	 * The DER rules for the contents of the universal types Bouncy Castle checks when it
	 * builds them: without this, input that passed here still failed in the parser (found
	 * by fuzzing), so "strictly DER" was only true of the framing.
	 */
	private static void checkContents(int number, byte[] b, int pos, int length) throws Malformed {
		switch (number) {
			case 0x00 -> throw new Malformed("has an end-of-contents marker (BER, not DER)");
			case 0x01 -> {
				if (length != 1 || (b[pos] != 0 && b[pos] != (byte) 0xff)) {
					throw new Malformed("has a BOOLEAN that is not one byte 00 or FF");
				}
			}
			case 0x02, 0x0a -> {
				if (length == 0) {
					throw new Malformed("has an empty INTEGER");
				}
				if (length > 1 && ((b[pos] == 0 && (b[pos + 1] & 0x80) == 0)
						|| (b[pos] == (byte) 0xff && (b[pos + 1] & 0x80) != 0))) {
					throw new Malformed("has an INTEGER with leading padding bytes");
				}
			}
			case 0x03 -> {
				int unused = (length == 0) ? -1 : b[pos] & 0xff;
				if (unused < 0 || unused > 7 || (length == 1 && unused != 0)) {
					throw new Malformed("has a BIT STRING with a wrong unused-bits count");
				}
				if (unused > 0 && (b[pos + length - 1] & ((1 << unused) - 1)) != 0) {
					throw new Malformed("has a BIT STRING whose unused bits are not zero");
				}
			}
			case 0x05 -> {
				if (length != 0) {
					throw new Malformed("has a NULL with contents");
				}
			}
			case 0x06, 0x0d -> checkOid(b, pos, length);
			case 0x17 -> checkTime(b, pos, length, 12, "UTCTime");
			case 0x18 -> checkTime(b, pos, length, 14, "GeneralizedTime");
			case 0x1c -> {
				if (length % 4 != 0) {
					throw new Malformed("has a UniversalString that is not whole characters");
				}
			}
			case 0x1e -> {
				if (length % 2 != 0) {
					throw new Malformed("has a BMPString that is not whole characters");
				}
			}
			case 0x04, 0x07, 0x0c, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b -> {
				// OCTET STRING and the other strings: read as bytes, checked where used.
			}
			default ->
				// REAL, EXTERNAL, EMBEDDED PDV, TIME, CHARACTER STRING, reserved numbers:
				// no
				// certificate structure uses them and Bouncy Castle cannot read them.
				throw new Malformed("uses universal type " + number + ", which no certificate structure uses");
		}
	}

	/**
	 * DER times are in UTC, with seconds and a {@code Z}: YYMMDDHHMMSSZ or
	 * YYYYMMDDHHMMSS[.fff]Z with no trailing zero in the fraction.
	 */
	private static void checkTime(byte[] b, int pos, int length, int digits, String type) throws Malformed {
		int end = pos + length;
		boolean ok = length > digits && b[end - 1] == 'Z' && allDigits(b, pos, pos + digits);
		if (ok && length > digits + 1) {
			ok = digits == 14 && b[pos + digits] == '.' && length > digits + 2
					&& allDigits(b, pos + digits + 1, end - 1) && b[end - 2] != '0';
		}
		if (!ok) {
			throw new Malformed("has a " + type + " that is not in the DER form");
		}
		int yearDigits = digits - 10;
		int year = number(b, pos, yearDigits);
		if (yearDigits == 2) {
			year += (year < 50) ? 2000 : 1900;
		}
		int p = pos + yearDigits;
		try {
			// Bouncy Castle refuses impossible dates (fuzz finding: month 00). Years
			// before
			// the Gregorian calendar are refused too: no certificate has them, and
			// calendars
			// disagree about them.
			if (year < 1583) {
				throw new DateTimeException("before the Gregorian calendar");
			}
			LocalDateTime.of(year, number(b, p, 2), number(b, p + 2, 2), number(b, p + 4, 2), number(b, p + 6, 2),
					number(b, p + 8, 2));
		}
		catch (DateTimeException ex) {
			throw new Malformed("has a " + type + " that is not a real date and time");
		}
	}

	private static int number(byte[] b, int from, int digits) {
		int n = 0;
		for (int i = from; i < from + digits; i++) {
			n = n * 10 + (b[i] - '0');
		}
		return n;
	}

	private static boolean allDigits(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] < '0' || b[i] > '9') {
				return false;
			}
		}
		return true;
	}

	/** Base-128 sub-identifiers: each minimal, the last one complete. */
	private static void checkOid(byte[] b, int pos, int length) throws Malformed {
		if (length == 0) {
			throw new Malformed("has an empty OBJECT IDENTIFIER");
		}
		boolean start = true;
		for (int i = pos; i < pos + length; i++) {
			if (start && b[i] == (byte) 0x80) {
				throw new Malformed("has an OBJECT IDENTIFIER with a non-minimal sub-identifier");
			}
			start = (b[i] & 0x80) == 0;
		}
		if (!start) {
			throw new Malformed("has an OBJECT IDENTIFIER whose last sub-identifier is cut off");
		}
	}

	private static final class Malformed extends Exception {

		Malformed(String message) {
			super(message, null, false, false);
		}

	}

}
