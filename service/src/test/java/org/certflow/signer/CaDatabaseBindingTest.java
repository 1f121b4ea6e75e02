package org.certflow.signer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.certflow.CertFlowProperties;
import org.certflow.CertFlowPropertiesFixture;
import org.certflow.ca.CaSettings;
import org.certflow.issuance.CaConfiguration;
import org.certflow.issuance.JdbcIssuanceJournal;
import org.certflow.issuance.Subscribers;
import org.certflow.ca.RevocableCertificateAuthority;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The CA's keys and the database belong together: each way they can come apart stops
 * start-up with a message that says what to restore.
 */
class CaDatabaseBindingTest {

	@TempDir
	Path temp;

	private DriverManagerDataSource database;

	private JdbcTemplate jdbc;

	@BeforeEach
	void newDatabase() {
		this.database = newMigratedDatabase();
		this.jdbc = new JdbcTemplate(this.database);
	}

	@Test
	void aNewDatabaseWithNewKeysRecordsTheCaAndAcceptsItOnEveryStartAfter() {
		Path dataDir = this.temp.resolve("data");
		RevocableCertificateAuthority first = start(dataDir, this.database, false);
		RevocableCertificateAuthority again = start(dataDir, this.database, false);

		assertThat(this.jdbc.queryForObject("select issuing_sha256 from ca_binding", String.class))
			.isEqualTo(CaDatabaseBinding.sha256(first.caChain().get(0)));
		assertThat(again.caChain()).isEqualTo(first.caChain());
	}

	@Test
	void keysTheDatabaseDoesNotKnowStopStartUp() {
		start(this.temp.resolve("data"), this.database, false);
		// Another installation's CA, with a database of its own.
		start(this.temp.resolve("other"), newMigratedDatabase(), false);

		assertThatIllegalStateException().isThrownBy(() -> start(this.temp.resolve("other"), this.database, false))
			.withMessageContaining("serves the CA with issuing certificate SHA-256")
			.withMessageContaining(this.temp.resolve("other").resolve("ca").resolve("ca.p12").toString())
			.withMessageContaining("Restore the CA directory and the database from the same backup");
	}

	@Test
	void aMissingKeyStoreIsNotReplacedByANewCa() {
		Path dataDir = this.temp.resolve("data");
		start(dataDir, this.database, false);
		Path keyStore = dataDir.resolve("ca").resolve("ca.p12");
		deleteQuietly(keyStore);

		assertThatIllegalStateException().isThrownBy(() -> start(dataDir, this.database, false))
			.withMessageContaining("does not exist")
			.withMessageContaining("Restore");
		assertThat(keyStore).doesNotExist();
	}

	@Test
	void existingKeysWithAnEmptyDatabaseStopStartUpUnlessAdopted() {
		Path dataDir = this.temp.resolve("data");
		start(dataDir, this.database, false);
		DriverManagerDataSource emptyDatabase = newMigratedDatabase();

		assertThatIllegalStateException().isThrownBy(() -> start(dataDir, emptyDatabase, false))
			.withMessageContaining("has no record of any CA")
			.withMessageContaining("already holds the CA")
			.withMessageContaining(CaDatabaseBinding.ADOPT_SETTING + "=true");
		start(dataDir, emptyDatabase, true);
		assertThat(new JdbcTemplate(emptyDatabase).queryForObject("select count(*) from ca_binding", Integer.class))
			.isOne();
	}

	@Test
	void aDatabaseFromBeforeTheRecordTakesOnlyTheKeysItsCertificatesVerifyAgainst() {
		Path dataDir = this.temp.resolve("data");
		issueOne(start(dataDir, this.database, false));
		// Today's schema: certificates, but no record of the CA.
		this.jdbc.update("delete from ca_binding");
		start(this.temp.resolve("other"), newMigratedDatabase(), false);

		assertThatIllegalStateException().isThrownBy(() -> start(this.temp.resolve("other"), this.database, false))
			.withMessageContaining("were not signed by the issuing CA in");
		assertThat(this.jdbc.queryForObject("select count(*) from ca_binding", Integer.class)).isZero();

		start(dataDir, this.database, false);
		assertThat(this.jdbc.queryForObject("select count(*) from ca_binding", Integer.class)).isOne();
	}

	private RevocableCertificateAuthority start(Path dataDir, DriverManagerDataSource database, boolean adopt) {
		CaConfiguration configuration = new CaConfiguration();
		CaSettings settings = configuration.caSettings(properties(dataDir), caValues());
		JdbcTemplate jdbc = new JdbcTemplate(database);
		JdbcIssuanceJournal journal = new JdbcIssuanceJournal(jdbc, new DataSourceTransactionManager(database));
		return CaKeyConfiguration.open(settings, journal, jdbc, database, adopt);
	}

	private static void issueOne(RevocableCertificateAuthority ca) {
		Subscribers.issueStandard(ca, "ada@example.org");
	}

	private static DriverManagerDataSource newMigratedDatabase() {
		DriverManagerDataSource database = new DriverManagerDataSource(
				"jdbc:h2:mem:binding-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		return database;
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.delete(file);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static CertFlowProperties properties(Path dataDir) {
		return CertFlowPropertiesFixture.properties(dataDir, false, false, "admin", true);
	}

	private static CaSettings.Values caValues() {
		return CertFlowPropertiesFixture.caValues("a-keystore-secret", "1.3.6.1.4.1.99999.1",
				CaSettings.KeyStorage.PKCS12, Map.of("standard",
						new CaSettings.Values.Profile(Duration.ofDays(30), List.of("1.3.6.1.5.5.7.3.4"), false, null)));
	}

}
