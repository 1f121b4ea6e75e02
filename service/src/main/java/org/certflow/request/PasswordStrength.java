package org.certflow.request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Estimates how many bits of guessing a password costs, and refuses those under
 * {@link #REQUIRED_BITS} (the strength NIST SP 800-57 asks for keys protected until 2030
 * and beyond). The same rule runs in the page ({@code /js/password-strength.js}); a test
 * feeds both the same passwords, so the meter never promises what the server then
 * refuses.
 *
 * <p>
 * The estimate is deliberately simple and pessimistic: character pool × length, where a
 * character that repeats the one before it, continues a sequence (abc, 321) or a keyboard
 * run (qwer, asdf) adds nothing, and a common password, a common word or a part of the
 * applicant's own name or mailbox counts as one pick from a small list (11 bits) instead
 * of its letters.
 */
public final class PasswordStrength {

	/** The minimum estimate accepted. */
	public static final int REQUIRED_BITS = 112;

	private static final int WORD_BITS = 11;

	/** Common passwords and words (lower case, 4+ letters); same list as the page. */
	static final List<String> COMMON = List.of("password", "passwort", "passw0rd", "qwerty", "azerty", "qwertz",
			"letmein", "welcome", "admin", "login", "master", "dragon", "monkey", "sunshine", "princess", "football",
			"baseball", "soccer", "iloveyou", "trustno1", "shadow", "superman", "batman", "secret", "certificate",
			"certflow", "changeme", "default", "hello", "summer", "winter", "spring", "autumn", "january", "february",
			"december", "monday", "friday", "love", "test", "user", "guest", "root", "pass", "abc123", "123456",
			"654321", "111111", "000000", "121212", "696969", "michael", "jennifer", "jordan", "hunter", "ranger",
			"harley", "thomas", "robert", "daniel", "charlie", "freedom", "whatever", "computer", "internet", "google",
			"starwars", "pokemon", "cheese", "flower", "killer", "access", "mustang", "maggie", "ginger", "secure",
			"company", "london", "paris", "berlin", "zurich");

	private static final String[] KEYBOARD_ROWS = { "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm" };

	private PasswordStrength() {
	}

	/**
	 * @param password the password
	 * @param personal what the applicant's password should not be built from: full name,
	 * mailbox, organisation (any may be null)
	 * @return the estimate in whole bits
	 */
	public static int bits(String password, String... personal) {
		if (password == null || password.isEmpty()) {
			return 0;
		}
		String lower = asciiLower(password);
		int length = lower.length();
		boolean[] covered = new boolean[length];
		int words = 0;
		for (String word : words(personal)) {
			int from = 0;
			int at;
			while ((at = lower.indexOf(word, from)) >= 0) {
				boolean free = true;
				for (int i = at; i < at + word.length(); i++) {
					free &= !covered[i];
				}
				if (free) {
					for (int i = at; i < at + word.length(); i++) {
						covered[i] = true;
					}
					words++;
				}
				from = at + 1;
			}
		}
		int effective = 0;
		for (int i = 0; i < length; i++) {
			if (covered[i]) {
				continue;
			}
			if (i > 0 && !covered[i - 1] && follows(lower.charAt(i - 1), lower.charAt(i))) {
				continue;
			}
			effective++;
		}
		double perCharacter = Math.log(pool(password)) / Math.log(2);
		return (int) Math.floor(effective * perCharacter + words * WORD_BITS);
	}

	/**
	 * @param password the password
	 * @param personal the applicant's name, mailbox and organisation
	 * @throws RequestException INVALID, saying why and what to do, when the estimate is
	 * under {@link #REQUIRED_BITS}
	 */
	public static void check(String password, String... personal) {
		if (password == null || password.isEmpty()) {
			throw new RequestException(RequestException.Kind.INVALID,
					"p12Password is required: choose the password that will protect your key file.");
		}
		if (password.length() > 256) {
			throw new RequestException(RequestException.Kind.INVALID, "p12Password must be at most 256 characters.");
		}
		int bits = bits(password, personal);
		if (bits < REQUIRED_BITS) {
			throw new RequestException(RequestException.Kind.INVALID, "p12Password is too easy to guess (about " + bits
					+ " bits; at least " + REQUIRED_BITS + " are needed). Use five or more random words, or 20 or "
					+ "more random characters; leave out your name, your mail address, common words, repeats and "
					+ "keyboard runs.");
		}
	}

	private static List<String> words(String... personal) {
		List<String> words = new ArrayList<>(COMMON);
		for (String value : personal) {
			if (value == null) {
				continue;
			}
			for (String part : asciiLower(value).split("[^a-z0-9]+")) {
				if (part.length() >= 3 && !words.contains(part)) {
					words.add(part);
				}
			}
		}
		// Longest first, so "password" is found before "pass"; ties in list order.
		words.sort(Comparator.comparingInt(String::length).reversed());
		return words;
	}

	private static boolean follows(char previous, char current) {
		if (previous == current || Math.abs(current - previous) == 1) {
			return true;
		}
		for (String row : KEYBOARD_ROWS) {
			int a = row.indexOf(previous);
			int b = row.indexOf(current);
			if (a >= 0 && b >= 0 && Math.abs(a - b) == 1) {
				return true;
			}
		}
		return false;
	}

	private static int pool(String password) {
		boolean lower = false;
		boolean upper = false;
		boolean digit = false;
		boolean symbol = false;
		boolean other = false;
		for (int i = 0; i < password.length(); i++) {
			char c = password.charAt(i);
			if (c >= 'a' && c <= 'z') {
				lower = true;
			}
			else if (c >= 'A' && c <= 'Z') {
				upper = true;
			}
			else if (c >= '0' && c <= '9') {
				digit = true;
			}
			else if (c >= ' ' && c <= '~') {
				symbol = true;
			}
			else {
				other = true;
			}
		}
		int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
		return Math.max(pool, 2);
	}

	private static String asciiLower(String value) {
		StringBuilder lower = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			lower.append((c >= 'A' && c <= 'Z') ? (char) (c + 32) : c);
		}
		return lower.toString();
	}

}
