package org.certflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

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

	// A PIN has about 27 bits; the attempt limit protects it online, PBKDF2 slows an
	// offline
	// search should the table ever leak.
	private final Pbkdf2PasswordEncoder pinEncoder = new Pbkdf2PasswordEncoder("", 16, 120_000,
			Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256);

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
