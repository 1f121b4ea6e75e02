package org.certflow.serverkey;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyEscrowTest {

	private static final char[] PASSWORD = "tangerine orbit velvet quarry lantern".toCharArray();

	/** Few rounds keep the test quick; the rounds are stored with each escrow. */
	private static final int ROUNDS = 1_000;

	@Test
	void thePasswordOpensTheSealedKey() throws Exception {
		SubjectKeys.Made made = SubjectKeys.make("EC-P256", "Ada Lovelace");
		KeyEscrow.Escrow escrow = KeyEscrow.create(PASSWORD, "req-1", ROUNDS);
		byte[] sealed = KeyEscrow.seal(escrow.publicKey(), made.privateKeyPkcs8(), "req-1");

		byte[] opened = KeyEscrow.open(escrow, PASSWORD, sealed, "req-1");

		assertThat(opened).isEqualTo(made.privateKeyPkcs8());
		assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(opened))).isNotNull();
	}

	@Test
	void aWrongPasswordOpensNothing() {
		KeyEscrow.Escrow escrow = KeyEscrow.create(PASSWORD, "req-1", ROUNDS);
		byte[] sealed = KeyEscrow.seal(escrow.publicKey(), new byte[] { 1, 2, 3 }, "req-1");

		assertThatThrownBy(
				() -> KeyEscrow.open(escrow, "tangerine orbit velvet quarry lanterN".toCharArray(), sealed, "req-1"))
			.isInstanceOf(KeyEscrow.WrongPasswordException.class);
	}

	@Test
	void aTamperedBlobOrOneMovedToAnotherRequestOpensNothing() {
		KeyEscrow.Escrow escrow = KeyEscrow.create(PASSWORD, "req-1", ROUNDS);
		byte[] sealed = KeyEscrow.seal(escrow.publicKey(), new byte[] { 1, 2, 3 }, "req-1");
		byte[] flipped = sealed.clone();
		flipped[flipped.length - 5] ^= 1;
		byte[] wrapped = escrow.wrappedPrivateKey().clone();
		wrapped[20] ^= 1;
		KeyEscrow.Escrow tamperedEscrow = new KeyEscrow.Escrow(escrow.publicKey(), wrapped, escrow.salt(),
				escrow.iterations());

		assertThatThrownBy(() -> KeyEscrow.open(escrow, PASSWORD, flipped, "req-1"))
			.isInstanceOf(KeyEscrow.WrongPasswordException.class);
		assertThatThrownBy(() -> KeyEscrow.open(tamperedEscrow, PASSWORD, sealed, "req-1"))
			.isInstanceOf(KeyEscrow.WrongPasswordException.class);
		assertThatThrownBy(() -> KeyEscrow.open(escrow, PASSWORD, sealed, "req-2"))
			.isInstanceOf(KeyEscrow.WrongPasswordException.class);
		assertThatThrownBy(() -> KeyEscrow.open(escrow, PASSWORD, new byte[] { 1 }, "req-1"))
			.isInstanceOf(KeyEscrow.WrongPasswordException.class);
	}

	@Test
	void theStoredBlobsHoldNeitherTheKeyNorThePassword() {
		SubjectKeys.Made made = SubjectKeys.make("EC-P256", "Ada Lovelace");
		KeyEscrow.Escrow escrow = KeyEscrow.create(PASSWORD, "req-1", ROUNDS);
		byte[] sealed = KeyEscrow.seal(escrow.publicKey(), made.privateKeyPkcs8(), "req-1");
		byte[] pkcs8 = made.privateKeyPkcs8();
		// The private scalar: the last 32 bytes of the key's octet string.
		byte[] scalar = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
		byte[] password = new String(PASSWORD).getBytes(StandardCharsets.UTF_8);

		for (byte[] stored : new byte[][] { sealed, escrow.wrappedPrivateKey(), escrow.publicKey(), escrow.salt() }) {
			assertThat(indexOf(stored, scalar)).isEqualTo(-1);
			assertThat(indexOf(stored, java.util.Arrays.copyOf(password, 8))).isEqualTo(-1);
		}
		assertThat(sealed).hasSizeGreaterThan(pkcs8.length);
	}

	@Test
	void eachSealUsesAFreshEphemeralKey() {
		KeyEscrow.Escrow escrow = KeyEscrow.create(PASSWORD, "req-1", ROUNDS);
		byte[] first = KeyEscrow.seal(escrow.publicKey(), new byte[] { 1, 2, 3 }, "req-1");
		byte[] second = KeyEscrow.seal(escrow.publicKey(), new byte[] { 1, 2, 3 }, "req-1");
		assertThat(first).isNotEqualTo(second);
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
