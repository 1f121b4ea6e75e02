package org.certflow.security;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

	private final Secrets secrets = new Secrets();

	@Test
	void pinHashNamesItsCostIsSaltedAndMatchesOnlyItsPin() {
		String pin = this.secrets.newPin();
		String hash = this.secrets.hashPin(pin);

		assertThat(pin).hasSize(8).containsOnlyDigits();
		assertThat(hash).startsWith("{pbkdf2-sha256-10k}").doesNotContain(pin);
		assertThat(this.secrets.hashPin(pin)).as("salted").isNotEqualTo(hash);
		assertThat(this.secrets.pinMatches(pin, hash)).isTrue();
		assertThat(this.secrets.pinMatches(wrong(pin), hash)).isFalse();
		assertThat(this.secrets.pinMatches(null, hash)).isFalse();
	}

	@Test
	void aPinHashedBeforeTheCostChangedStillMatches() {
		String legacy = new Pbkdf2PasswordEncoder("", 16, 120_000,
				Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256)
			.encode("12345678");

		assertThat(this.secrets.pinMatches("12345678", legacy)).isTrue();
		assertThat(this.secrets.pinMatches("12345679", legacy)).isFalse();
	}

	@Test
	void tokensAre256BitUrlSafeAndStoredAsSha256() {
		String token = this.secrets.newToken();

		assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(this.secrets.newToken()).isNotEqualTo(token);
		assertThat(Secrets.hashToken(token)).hasSize(64).isEqualTo(Secrets.hashToken(token)).doesNotContain(token);
	}

	private static String wrong(String pin) {
		char last = pin.charAt(pin.length() - 1);
		return pin.substring(0, pin.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
	}

}
