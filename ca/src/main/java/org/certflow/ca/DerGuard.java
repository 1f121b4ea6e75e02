package org.certflow.ca;

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
		return end;
	}

	private static final class Malformed extends Exception {

		Malformed(String message) {
			super(message, null, false, false);
		}

	}

}
