package org.certflow.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.certflow.CertFlowProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals the body of an unsent mail before it is stored, so that the outbox table (and any
 * copy or backup of the database) holds no working invitation link, activation code or
 * PIN. AES-256-GCM with the mail id as associated data: a body moved to another row, or
 * altered, does not open. The key lives outside the database: set
 * {@code certflow.mail.outbox-key} (Base64 of 32 random bytes, the same on every node),
 * or let the first start write one to {@code <data-dir>/secrets/mail-outbox.key}.
 */
@Component
class MailBodySeal {

	private static final String PREFIX = "gcm1:";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final SecureRandom random = new SecureRandom();

	MailBodySeal(CertFlowProperties properties, @Value("${certflow.mail.outbox-key:}") String configuredKey) {
		this.key = new SecretKeySpec(keyBytes(properties.dataDir(), configuredKey), "AES");
	}

	String seal(String mailId, String body) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] sealed = crypt(Cipher.ENCRYPT_MODE, mailId, nonce, body.getBytes(StandardCharsets.UTF_8));
		byte[] out = new byte[NONCE_BYTES + sealed.length];
		System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
		System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
		return PREFIX + Base64.getEncoder().encodeToString(out);
	}

	/**
	 * Opens a sealed body.
	 * @throws IllegalStateException when the body was sealed under another key (nodes
	 * configured with different keys) or altered; the mail is then retried and, in the
	 * end, listed as failed for RA admins
	 */
	String open(String mailId, String stored) {
		if (stored == null || !stored.startsWith(PREFIX)) {
			throw new IllegalStateException("Mail " + mailId + " has no sealed body");
		}
		byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
		if (in.length <= NONCE_BYTES) {
			throw new IllegalStateException("Mail " + mailId + " has a truncated body");
		}
		byte[] nonce = new byte[NONCE_BYTES];
		System.arraycopy(in, 0, nonce, 0, NONCE_BYTES);
		byte[] sealed = new byte[in.length - NONCE_BYTES];
		System.arraycopy(in, NONCE_BYTES, sealed, 0, sealed.length);
		return new String(crypt(Cipher.DECRYPT_MODE, mailId, nonce, sealed), StandardCharsets.UTF_8);
	}

	private byte[] crypt(int mode, String mailId, byte[] nonce, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(mailId.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Mail " + mailId + " body does not open with this node's outbox key "
					+ "(certflow.mail.outbox-key must be the same on every node)", ex);
		}
	}

	private static byte[] keyBytes(Path dataDir, String configured) {
		if (configured != null && !configured.isBlank()) {
			byte[] key;
			try {
				key = Base64.getDecoder().decode(configured.strip());
			}
			catch (IllegalArgumentException ex) {
				key = new byte[0];
			}
			if (key.length != 32) {
				throw new IllegalStateException("certflow.mail.outbox-key must be the Base64 of 32 random bytes "
						+ "(for example: openssl rand -base64 32)");
			}
			return key;
		}
		Path file = dataDir.resolve("secrets").resolve("mail-outbox.key");
		try {
			if (!Files.exists(file)) {
				Files.createDirectories(file.getParent());
				byte[] fresh = new byte[32];
				new SecureRandom().nextBytes(fresh);
				try {
					Files.createFile(file,
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				}
				catch (UnsupportedOperationException ex) {
					Files.createFile(file);
				}
				catch (FileAlreadyExistsException ex) {
					return read(file);
				}
				Files.write(file, Base64.getEncoder().encode(fresh));
				return fresh;
			}
			return read(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot read or create the mail outbox key " + file + "; set certflow.mail.outbox-key instead", ex);
		}
	}

	private static byte[] read(Path file) throws IOException {
		byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
		if (key.length != 32) {
			throw new IllegalStateException(file + " must hold the Base64 of 32 bytes");
		}
		return key;
	}

}
