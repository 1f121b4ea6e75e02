package org.certflow.directory;

import java.util.List;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import org.certflow.directory.CertificateDirectory.CaMaterial;
import org.certflow.directory.CertificateDirectory.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.certflow.directory.DirectoryFixtures.BASE;

/**
 * The LDAP adapter against the embedded in-memory directory, read back anonymously with
 * the UnboundID SDK as a mail client would.
 */
class EmbeddedDirectoryTest {

	private EmbeddedDirectory server;

	private LdapCertificateDirectory directory;

	@BeforeEach
	void start() throws Exception {
		DirectorySettings settings = DirectoryFixtures.embeddedSettings();
		this.server = new EmbeddedDirectory(settings);
		this.directory = DirectoryFixtures.directory(settings, this.server);
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	@Test
	void publishingCreatesTheHoldersEntryAndARetryAddsNoSecondValue() throws Exception {
		byte[] certificate = DirectoryFixtures.certificate("CN=Ada Lovelace");
		Holder ada = new Holder("ada@example.org", "Ada Lovelace");

		String dn = this.directory.publish(ada, certificate);
		assertThat(this.directory.publish(ada, certificate)).isEqualTo(dn);

		Entry entry = anonymousRead(dn);
		assertThat(dn).isEqualTo("mail=ada@example.org,ou=people," + BASE);
		assertThat(entry.getObjectClassValues()).contains("inetOrgPerson");
		assertThat(entry.getAttributeValue("cn")).isEqualTo("Ada Lovelace");
		assertThat(entry.getAttributeValue("sn")).isEqualTo("Lovelace");
		assertThat(entry.getAttributeValue("mail")).isEqualTo("ada@example.org");
		assertThat(certificates(entry)).singleElement().isEqualTo(certificate);
	}

	@Test
	void aSecondCertificateOfTheSameHolderIsAddedBesideTheFirstAndRemovedAlone() throws Exception {
		Holder ada = new Holder("ada@example.org", "Ada Lovelace");
		byte[] first = DirectoryFixtures.certificate("CN=Ada Lovelace");
		byte[] renewed = DirectoryFixtures.certificate("CN=Ada Lovelace");
		String dn = this.directory.publish(ada, first);
		this.directory.publish(ada, renewed);
		assertThat(certificates(anonymousRead(dn))).hasSize(2);

		this.directory.withdraw(dn, first);
		this.directory.withdraw(dn, first);
		assertThat(certificates(anonymousRead(dn))).singleElement().isEqualTo(renewed);
		// A value or entry already gone is no error: removal is idempotent too.
		this.directory.withdraw("mail=nobody@example.org,ou=people," + BASE, first);
	}

	@Test
	void namesWithLdapSpecialCharactersStayOneAttributeValue() throws Exception {
		Holder tricky = new Holder("o'hara+x@example.org", "O'Hara, Scarlett + \"Katie\"");
		String dn = this.directory.publish(tricky, DirectoryFixtures.certificate("CN=Scarlett"));

		Entry entry = anonymousRead(dn);
		assertThat(entry.getParsedDN().getRDN().getAttributeNames()).containsExactly("mail");
		assertThat(entry.getParsedDN().getParent().toString()).isEqualTo("ou=people," + BASE);
		assertThat(entry.getAttributeValue("mail")).isEqualTo("o'hara+x@example.org");
		assertThat(entry.getAttributeValue("cn")).isEqualTo("O'Hara, Scarlett + \"Katie\"");
	}

	@Test
	void theCaEntryHoldsExactlyTheCurrentCaCertificateAndCrl() throws Exception {
		byte[] ca = DirectoryFixtures.certificate("CN=CertFlow Issuing CA");
		byte[] firstCrl = DirectoryFixtures.crl("CN=CertFlow Issuing CA");
		byte[] nextCrl = DirectoryFixtures.crl("CN=CertFlow Issuing CA");

		String dn = this.directory.publishCa(new CaMaterial("CertFlow Issuing CA", ca, firstCrl));
		this.directory.publishCa(new CaMaterial("CertFlow Issuing CA", ca, nextCrl));

		Entry entry = anonymousRead(dn);
		assertThat(dn).isEqualTo("cn=CertFlow Issuing CA,ou=ca," + BASE);
		assertThat(entry.getObjectClassValues()).contains("pkiCA");
		assertThat(values(entry, "cACertificate")).singleElement().isEqualTo(ca);
		assertThat(values(entry, "certificateRevocationList")).singleElement().isEqualTo(nextCrl);
	}

	@Test
	void anonymousClientsMayReadButNotWriteAndAWrongPasswordIsRefused() throws Exception {
		String dn = this.directory.publish(new Holder("ada@example.org", "Ada Lovelace"),
				DirectoryFixtures.certificate("CN=Ada Lovelace"));
		try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", this.server.port())) {
			assertThatThrownBy(() -> anonymous.modify(dn,
					new Modification(ModificationType.DELETE, LdapCertificateDirectory.USER_CERTIFICATE)))
				.isInstanceOf(LDAPException.class);
			assertThatThrownBy(() -> anonymous.add("dn: mail=mallory@example.org,ou=people," + BASE,
					"objectClass: inetOrgPerson", "cn: Mallory", "sn: Mallory"))
				.isInstanceOf(LDAPException.class);
			assertThatThrownBy(() -> anonymous.delete(dn)).isInstanceOf(LDAPException.class);
			assertThatThrownBy(() -> anonymous.bind(DirectoryFixtures.BIND_DN, "wrong"))
				.isInstanceOf(LDAPException.class);
		}
		assertThat(certificates(anonymousRead(dn))).hasSize(1);
		assertThat(anonymousRead("mail=mallory@example.org,ou=people," + BASE)).isNull();
	}

	@Test
	void aStoppedDirectoryFailsWithAMessageThatNamesItButNoPassword() throws Exception {
		this.server.stopListening();
		assertThatThrownBy(() -> this.directory.publish(new Holder("ada@example.org", "Ada Lovelace"),
				DirectoryFixtures.certificate("CN=Ada Lovelace")))
			.isInstanceOf(DirectoryUnavailableException.class)
			.hasMessageContaining("Could not publish the certificate to mail=ada@example.org")
			.hasMessageContaining("embedded directory")
			.hasMessageNotContaining(DirectoryFixtures.BIND_PASSWORD);

		this.server.startListening();
		assertThat(this.directory.publish(new Holder("ada@example.org", "Ada Lovelace"),
				DirectoryFixtures.certificate("CN=Ada Lovelace")))
			.isNotNull();
	}

	private Entry anonymousRead(String dn) throws LDAPException {
		try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", this.server.port())) {
			return anonymous.getEntry(dn, "*");
		}
	}

	static List<byte[]> certificates(Entry entry) {
		return values(entry, "userCertificate");
	}

	static List<byte[]> values(Entry entry, String baseName) {
		return entry.getAttributes()
			.stream()
			.filter((attribute) -> attribute.getBaseName().equalsIgnoreCase(baseName))
			.flatMap((Attribute attribute) -> List.of(attribute.getValueByteArrays()).stream())
			.toList();
	}

}
