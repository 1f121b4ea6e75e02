package org.certflow.directory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of what was published, to tell whether it changed since. */
final class Digests {

	private Digests() {
	}

	static String sha256Hex(byte[]... parts) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (byte[] part : parts) {
				if (part != null) {
					digest.update(part);
				}
				// A separator, so that moving bytes from one part to the next changes the
				// digest.
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
