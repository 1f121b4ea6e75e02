package org.certflow.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MailBodySealTest {

	private static final String BODY = "Open https://ra.example/apply?token=Zm9vYmFy and enter PIN: 12345678";

	@TempDir
	Path dataDir;

	@Test
	void storedFormHidesTheLinkAndOpensOnlyForItsOwnMail() {
		MailBodySeal seal = new MailBodySeal(properties(), "");
		String stored = seal.seal("mail-1", BODY);

		assertThat(stored).doesNotContain("token=").doesNotContain("12345678").startsWith("gcm1:");
		assertThat(seal.seal("mail-1", BODY)).as("a fresh nonce every time").isNotEqualTo(stored);
		assertThat(seal.open("mail-1", stored)).isEqualTo(BODY);
		assertThatIllegalStateException().isThrownBy(() -> seal.open("mail-2", stored));
	}

	@Test
	void anAlteredBodyOrAnotherKeyDoesNotOpen() {
		MailBodySeal seal = new MailBodySeal(properties(), "");
		String stored = seal.seal("mail-1", BODY);
		byte[] raw = Base64.getDecoder().decode(stored.substring("gcm1:".length()));
		raw[raw.length - 20] ^= 1;
		String altered = "gcm1:" + Base64.getEncoder().encodeToString(raw);
		assertThatIllegalStateException().isThrownBy(() -> seal.open("mail-1", altered));

		MailBodySeal otherNode = new MailBodySeal(properties(), Base64.getEncoder().encodeToString(new byte[32]));
		assertThatIllegalStateException().isThrownBy(() -> otherNode.open("mail-1", stored))
			.withMessageContaining("certflow.mail.outbox-key");
	}

	@Test
	void keyFileIsMadeOnceReadableByTheOwnerOnlyAndReused() throws Exception {
		String stored = new MailBodySeal(properties(), "").seal("mail-1", BODY);
		Path file = this.dataDir.resolve("secrets/mail-outbox.key");

		assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
		assertThat(new MailBodySeal(properties(), "").open("mail-1", stored)).isEqualTo(BODY);
	}

	@Test
	void aConfiguredKeyMustBe32Bytes() {
		assertThatIllegalStateException().isThrownBy(() -> new MailBodySeal(properties(), "c2hvcnQ="))
			.withMessageContaining("certflow.mail.outbox-key");
		assertThatIllegalStateException().isThrownBy(() -> new MailBodySeal(properties(), "not base64!"));
	}

	private CertFlowProperties properties() {
		return CertFlowPropertiesFixture.properties(this.dataDir, false, true, "admin", true);
	}

}
