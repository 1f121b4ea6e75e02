package org.certflow.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/**
 * The yardstick CA's key types, with the signature algorithm CertFlow's CA uses for each
 * (the hash matches the key's strength). Kept here rather than taken from {@code ca/} so
 * that the benchmark depends on nothing inside the service.
 */
enum SigningKey {

	EC_P256("ec-p256", "SHA256withECDSA"),

	EC_P384("ec-p384", "SHA384withECDSA"),

	RSA_2048("rsa-2048", "SHA256withRSA"),

	RSA_3072("rsa-3072", "SHA256withRSA"),

	ED25519("ed25519", "Ed25519");

	private final String setting;

	private final String signatureAlgorithm;

	SigningKey(String setting, String signatureAlgorithm) {
		this.setting = setting;
		this.signatureAlgorithm = signatureAlgorithm;
	}

	String setting() {
		return this.setting;
	}

	String signatureAlgorithm() {
		return this.signatureAlgorithm;
	}

	KeyPair generate() {
		try {
			KeyPairGenerator generator;
			switch (this) {
				case EC_P256, EC_P384 -> {
					generator = KeyPairGenerator.getInstance("EC");
					generator.initialize(new ECGenParameterSpec((this == EC_P256) ? "secp256r1" : "secp384r1"));
				}
				case RSA_2048, RSA_3072 -> {
					generator = KeyPairGenerator.getInstance("RSA");
					generator.initialize((this == RSA_2048) ? 2048 : 3072);
				}
				default -> generator = KeyPairGenerator.getInstance("Ed25519");
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot make a " + this.setting + " key", ex);
		}
	}

	static SigningKey parse(String text) {
		String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (SigningKey key : values()) {
			if (key.setting.equals(wanted)) {
				return key;
			}
		}
		throw new BenchOptions.UsageException(
				"--key-algorithm must be one of ec-p256, ec-p384, rsa-2048, rsa-3072, ed25519, not '" + text + "'.");
	}

}
