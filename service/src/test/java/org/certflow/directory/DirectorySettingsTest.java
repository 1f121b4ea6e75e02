package org.certflow.directory;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.certflow.directory.DirectoryFixtures.BIND_DN;

/**
 * Directory settings that cannot work, or must not run in production, stop the start with
 * a message that names the setting.
 */
class DirectorySettingsTest {

	@Test
	void productionRefusesABindPasswordOverPlainLdap() {
		DirectorySettings plain = DirectoryFixtures.settings("ldap://ldap.example.org", false, BIND_DN,
				"a-long-directory-password", false);
		assertThat(DirectoryStartChecks.problems(true, plain)).singleElement()
			.asString()
			.contains("certflow.directory.url is plain ldap://", "start-tls");
		assertThat(DirectoryStartChecks.problems(false, plain)).as("a demo may").isEmpty();
	}

	@Test
	void productionAcceptsStartTlsOrLdaps() {
		assertThat(DirectoryStartChecks.problems(true, DirectoryFixtures.settings("ldap://ldap.example.org", true,
				BIND_DN, "a-long-directory-password", false)))
			.isEmpty();
		assertThat(DirectoryStartChecks.problems(true, DirectoryFixtures.settings("ldaps://ldap.example.org", false,
				BIND_DN, "a-long-directory-password", false)))
			.isEmpty();
	}

	@Test
	void productionRefusesTheEmbeddedDirectoryAndTheDemoPassword() {
		DirectorySettings demo = DirectoryFixtures.settings("ldaps://ldap.example.org", false, BIND_DN,
				DirectoryStartChecks.DEMO_BIND_PASSWORD, true);
		assertThat(DirectoryStartChecks.problems(true, demo)).hasSize(2)
			.anySatisfy((problem) -> assertThat(problem).contains("certflow.directory.embedded.enabled must be false"))
			.anySatisfy((problem) -> assertThat(problem).contains("certflow.directory.bind-password"));
	}

	@Test
	void aUrlThatIsNotLdapOrStartTlsOnLdapsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirectoryFixtures.settings("http://ldap.example.org", false, BIND_DN, "x", false))
			.withMessageContaining("certflow.directory.url");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirectoryFixtures.settings("ldaps://ldap.example.org", true, BIND_DN, "x", false))
			.withMessageContaining("certflow.directory.start-tls");
	}

	@Test
	void templatesMustBeDnsNamedByAKnownPlaceholder() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirectoryNames.checkTemplate("certflow.directory.holder-dn-template",
					"uid={uid},ou=people,dc=certflow,dc=local", "mail", "cn"))
			.withMessageContaining("{uid}");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirectoryNames.checkTemplate("certflow.directory.holder-dn-template",
					"mail=x-{mail},ou=people", "mail", "cn"))
			.withMessageContaining("whole attribute value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirectoryNames.checkTemplate("certflow.directory.holder-dn-template",
					"ou=people,dc=certflow,dc=local", "mail", "cn"))
			.withMessageContaining("first RDN");
		assertThatIllegalArgumentException().isThrownBy(
				() -> DirectoryNames.checkTemplate("certflow.directory.holder-dn-template", "not a dn", "mail", "cn"))
			.withMessageContaining("is not a DN");
	}

	@Test
	void aFilledTemplateEscapesTheValueInsteadOfSplittingTheName() {
		String dn = DirectoryNames.fill("cn={cn},ou=people,dc=certflow,dc=local", Map.of("cn", "Smith, John+ou=admins"))
			.toString();
		assertThat(dn).isEqualTo("cn=Smith\\, John\\+ou=admins,ou=people,dc=certflow,dc=local");
	}

}
