package org.certflow.request;

import java.util.List;

/** Passwords both the Java rule and the page's meter are checked on. */
public final class PasswordStrengthSamples {

	/**
	 * Samples with the applicant "Ada Lovelace", ada.lovelace@example.org, "Analytical
	 * Engines": the page's meter must agree on every one (ServerKeyBrowserTest).
	 */
	public static final List<String> SAMPLES = List.of("", "password", "Password123!", "correcthorsebatterystaple",
			"qwertyuiopasdfghjklzxcvbnm1234567890", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			"abcdefghijklmnopqrstuvwxyz0123456789", "AdaLovelace1815!AdaLovelace1815!", "ada.lovelace@example.org-2026",
			"tangerine orbit velvet quarry lantern", "Tr0ub4dor&3", "x7#Kq9!mZ2@pL5$w", "x7#Kq9!mZ2@pL5$wR8^t",
			"passwordpasswordpasswordpassword", "zebra copper mosaic thunder walnut",
			"grüne Äpfel über Brücken und Wege", "analyticalenginesanalyticalengines",
			"Sunshine2026Sunshine2026Sunshine");

	private PasswordStrengthSamples() {
	}

}
