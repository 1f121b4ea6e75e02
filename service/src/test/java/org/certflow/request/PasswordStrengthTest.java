package org.certflow.request;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordStrengthTest {

	@Test
	void randomWordsPass() {
		assertThat(PasswordStrength.bits("tangerine orbit velvet quarry lantern"))
			.isGreaterThanOrEqualTo(PasswordStrength.REQUIRED_BITS);
		PasswordStrength.check("zebra copper mosaic thunder walnut", "Ada Lovelace", "ada@example.org", null);
	}

	@Test
	void commonWordsRepeatsSequencesAndKeyboardRunsCountForLittle() {
		assertThat(PasswordStrength.bits("password")).isEqualTo(11);
		assertThat(PasswordStrength.bits("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).isLessThan(10);
		assertThat(PasswordStrength.bits("abcdefghijklmnopqrstuvwxyz0123456789")).isLessThan(30);
		assertThat(PasswordStrength.bits("qwertyuiopasdfghjklzxcvbnm1234567890")).isLessThan(60);
		assertThat(PasswordStrength.bits("passwordpasswordpasswordpassword")).isEqualTo(44);
	}

	@Test
	void theApplicantsOwnNameAndMailboxCountAsOneWordEach() {
		int without = PasswordStrength.bits("AdaLovelace1815!AdaLovelace1815!");
		int with = PasswordStrength.bits("AdaLovelace1815!AdaLovelace1815!", "Ada Lovelace",
				"ada.lovelace@example.org");
		assertThat(with).isLessThan(without).isLessThan(PasswordStrength.REQUIRED_BITS);
	}

	@Test
	void aWeakPasswordIsRefusedWithTheReasonAndWhatToDo() {
		assertThatThrownBy(() -> PasswordStrength.check("Password123!", "Ada Lovelace"))
			.isInstanceOf(RequestException.class)
			.hasMessageContaining("too easy to guess")
			.hasMessageContaining("at least 112")
			.hasMessageContaining("five or more random words");
		assertThatThrownBy(() -> PasswordStrength.check("", "Ada Lovelace")).hasMessageContaining("required");
		assertThatThrownBy(() -> PasswordStrength.check(null)).hasMessageContaining("required");
	}

}
