package org.certflow.serverkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Keeps a server-made private key so that only the applicant's password opens it.
 *
 * <p>
 * The password is known at submission, the key is made later at issuance, when nobody
 * types the password. So at submission an <em>escrow</em> key pair (EC P-256) is made:
 * its private key is encrypted at once under a key derived from the password
 * (PBKDF2-HMAC-SHA256, random salt, AES-256-GCM) and the password is forgotten. At
 * issuance the subject's private key is encrypted to the escrow <em>public</em> key
 * (ECIES: a fresh ephemeral P-256 key, ECDH, HKDF-SHA256, AES-256-GCM), which needs no
 * password. At pickup the password opens the escrow key, and the escrow key opens the
 * subject key. The server therefore never holds anything that decrypts the subject key
 * without the password, and never stores the password. Every ciphertext is bound to the
 * request id (GCM associated data), so rows cannot be swapped between requests.
 */
public final class KeyEscrow {

	/**
	 * PBKDF2 rounds for new escrows; stored with each escrow so it can be raised later.
	 */
	public static final int ITERATIONS = 600_000;

	private static final byte VERSION = 1;

	private static final int SALT_BYTES = 16;

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final byte[] HKDF_INFO = "CertFlow server key v1".getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom RANDOM = new SecureRandom();

	private KeyEscrow() {
	}

	/**
	 * What is stored at submission: nothing in it opens without the password.
	 *
	 * @param publicKey the escrow public key (X.509 SubjectPublicKeyInfo)
	 * @param wrappedPrivateKey the escrow private key (PKCS#8), AES-256-GCM under the
	 * password-derived key: IV followed by ciphertext and tag
	 * @param salt the PBKDF2 salt
	 * @param iterations the PBKDF2 rounds
	 */
	public record Escrow(byte[] publicKey, byte[] wrappedPrivateKey, byte[] salt, int iterations) {
	}

	/** The password did not open the escrow (or the stored data was altered). */
	public static final class WrongPasswordException extends Exception {

		private static final long serialVersionUID = 1L;

		WrongPasswordException() {
			super("The password does not open this key");
		}

	}

	/**
	 * Makes an escrow for a request.
	 * @param password the applicant's p12 password
	 * @param binding the request id the escrow belongs to
	 * @return the escrow to store
	 */
	public static Escrow create(char[] password, String binding) {
		return create(password, binding, ITERATIONS);
	}

	static Escrow create(char[] password, String binding, int iterations) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
			KeyPair escrow = generator.generateKeyPair();
			byte[] salt = random(SALT_BYTES);
			byte[] pkcs8 = escrow.getPrivate().getEncoded();
			try {
				byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, passwordKey(password, salt, iterations), pkcs8,
						aad("escrow", binding));
				return new Escrow(escrow.getPublic().getEncoded(), wrapped, salt, iterations);
			}
			finally {
				Arrays.fill(pkcs8, (byte) 0);
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot make an escrow key", ex);
		}
	}

	/**
	 * Encrypts a subject's private key to an escrow public key; needs no password.
	 * @param escrowPublicKey {@link Escrow#publicKey()}
	 * @param plaintext the subject's PKCS#8 private key
	 * @param binding the request id
	 * @return version, ephemeral public key, IV, ciphertext and tag
	 */
	public static byte[] seal(byte[] escrowPublicKey, byte[] plaintext, String binding) {
		try {
			KeyFactory factory = KeyFactory.getInstance("EC");
			PublicKey recipient = factory.generatePublic(new X509EncodedKeySpec(escrowPublicKey));
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
			KeyPair ephemeral = generator.generateKeyPair();
			byte[] ephemeralPublic = ephemeral.getPublic().getEncoded();
			SecretKeySpec key = sharedKey(ephemeral.getPrivate(), recipient, ephemeralPublic, escrowPublicKey);
			byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, plaintext, aad("subject", binding));
			return ByteBuffer.allocate(1 + 2 + ephemeralPublic.length + sealed.length)
				.put(VERSION)
				.putShort((short) ephemeralPublic.length)
				.put(ephemeralPublic)
				.put(sealed)
				.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot seal the key", ex);
		}
	}

	/**
	 * Opens a sealed subject key with the applicant's password.
	 * @param escrow the stored escrow
	 * @param password the password as the applicant typed it
	 * @param sealed what {@link #seal} returned
	 * @param binding the request id
	 * @return the subject's PKCS#8 private key; the caller wipes it after use
	 * @throws WrongPasswordException when the password (or any stored byte) is wrong
	 */
	public static byte[] open(Escrow escrow, char[] password, byte[] sealed, String binding)
			throws WrongPasswordException {
		byte[] escrowPkcs8 = null;
		try {
			try {
				escrowPkcs8 = gcm(Cipher.DECRYPT_MODE, passwordKey(password, escrow.salt(), escrow.iterations()),
						escrow.wrappedPrivateKey(), aad("escrow", binding));
			}
			catch (AEADBadTagException ex) {
				throw new WrongPasswordException();
			}
			ByteBuffer buffer = ByteBuffer.wrap(sealed);
			if (buffer.get() != VERSION) {
				throw new WrongPasswordException();
			}
			byte[] ephemeralPublic = new byte[buffer.getShort()];
			buffer.get(ephemeralPublic);
			byte[] rest = new byte[buffer.remaining()];
			buffer.get(rest);
			KeyFactory factory = KeyFactory.getInstance("EC");
			PrivateKey escrowKey = factory.generatePrivate(new PKCS8EncodedKeySpec(escrowPkcs8));
			PublicKey ephemeral = factory.generatePublic(new X509EncodedKeySpec(ephemeralPublic));
			SecretKeySpec key = sharedKey(escrowKey, ephemeral, ephemeralPublic, escrow.publicKey());
			try {
				return gcm(Cipher.DECRYPT_MODE, key, rest, aad("subject", binding));
			}
			catch (AEADBadTagException ex) {
				throw new WrongPasswordException();
			}
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// A malformed blob is treated like a wrong password: nothing about the
			// content leaks through a different answer.
			throw new WrongPasswordException();
		}
		finally {
			if (escrowPkcs8 != null) {
				Arrays.fill(escrowPkcs8, (byte) 0);
			}
		}
	}

	private static SecretKeySpec sharedKey(PrivateKey own, PublicKey other, byte[] ephemeralPublic,
			byte[] recipientPublic) throws GeneralSecurityException {
		KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
		agreement.init(own);
		agreement.doPhase(other, true);
		byte[] secret = agreement.generateSecret();
		try {
			// Both public keys go into the derivation, as ECIES-KEM and HPKE do, so a key
			// is tied to this exchange.
			byte[] salt = ByteBuffer.allocate(ephemeralPublic.length + recipientPublic.length)
				.put(ephemeralPublic)
				.put(recipientPublic)
				.array();
			HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
			hkdf.init(new HKDFParameters(secret, salt, HKDF_INFO));
			byte[] key = new byte[32];
			hkdf.generateBytes(key, 0, key.length);
			return new SecretKeySpec(key, "AES");
		}
		finally {
			Arrays.fill(secret, (byte) 0);
		}
	}

	private static SecretKeySpec passwordKey(char[] password, byte[] salt, int iterations)
			throws GeneralSecurityException {
		PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
		try {
			byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
			return new SecretKeySpec(key, "AES");
		}
		finally {
			spec.clearPassword();
		}
	}

	private static byte[] gcm(int mode, SecretKeySpec key, byte[] input, byte[] aad) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		if (mode == Cipher.ENCRYPT_MODE) {
			byte[] iv = random(IV_BYTES);
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(aad);
			byte[] sealed = cipher.doFinal(input);
			return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
		}
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, input, 0, IV_BYTES));
		cipher.updateAAD(aad);
		return cipher.doFinal(input, IV_BYTES, input.length - IV_BYTES);
	}

	private static byte[] aad(String purpose, String binding) {
		return ("certflow:" + purpose + ":" + binding).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] random(int bytes) {
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return value;
	}

}
