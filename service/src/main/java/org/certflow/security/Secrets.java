package org.certflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Makes and checks the capabilities applicants hold instead of accounts: invitation
 * tokens and activation codes (256-bit random, stored as SHA-256) and activation PINs
 * (short, so stored as a salted PBKDF2 hash and protected by an attempt limit).
 */
@Component
public class Secrets {

	private static final int TOKEN_BYTES = 32;

	private static final int PIN_DIGITS = 8;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Cost of the PIN hash, chosen for the threat it answers. The PIN (about 27 bits)
	 * travels in the same mail as the 256-bit activation code and is worth nothing
	 * without that code, which the table keeps only as SHA-256; online, five wrong PINs
	 * lock the code. So the hash only makes a leaked table plus a separately leaked code
	 * (a proxy log, say) costly to combine: at 10,000 iterations (about 3 ms of CPU) a
	 * search of all 10^8 PINs takes some 80 CPU-hours, while hashing stays a few per cent
	 * of the CPU a certificate costs. 120,000 iterations (32 ms) made it the largest CPU
	 * consumer under load and bought no protection the attempt limit does not give.
	 */
	private static final int PIN_HASH_ITERATIONS = 10_000;

	private static final String PIN_HASH_ID = "pbkdf2-sha256-10k";

	private final PasswordEncoder pinEncoder = pinEncoder();

	private static PasswordEncoder pinEncoder() {
		Pbkdf2PasswordEncoder current = new Pbkdf2PasswordEncoder("", 16, PIN_HASH_ITERATIONS,
				Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256);
		DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder(PIN_HASH_ID, Map.of(PIN_HASH_ID, current));
		// Codes mailed before this cost changed carry no id: they were made with 120,000
		// iterations and keep working until they are used or expire.
		encoder.setDefaultPasswordEncoderForMatches(new Pbkdf2PasswordEncoder("", 16, 120_000,
				Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256));
		return encoder;
	}

	/**
	 * A new URL-safe token with 256 bits from {@link SecureRandom}.
	 * @return the token, to be mailed and never stored
	 */
	public String newToken() {
		byte[] bytes = new byte[TOKEN_BYTES];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * The stored form of a high-entropy token.
	 * @param token the token
	 * @return lowercase hex SHA-256
	 */
	public static String hashToken(String token) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
		}
	}

	/**
	 * A new numeric one-time PIN.
	 * @return the PIN, to be mailed and never stored
	 */
	public String newPin() {
		StringBuilder pin = new StringBuilder(PIN_DIGITS);
		for (int i = 0; i < PIN_DIGITS; i++) {
			pin.append(this.random.nextInt(10));
		}
		return pin.toString();
	}

	public String hashPin(String pin) {
		return this.pinEncoder.encode(pin);
	}

	public boolean pinMatches(String pin, String pinHash) {
		return pin != null && this.pinEncoder.matches(pin, pinHash);
	}

}
