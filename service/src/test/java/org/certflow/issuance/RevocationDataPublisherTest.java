package org.certflow.issuance;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.certflow.CertFlowPropertiesFixture;
import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateStatusRules;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.RevocationReason;
import org.certflow.revocation.CaPublication;
import org.certflow.signer.CaKeyConfiguration;
import org.certflow.signer.RevocationDataPublisher;
import org.certflow.revocation.RevocationStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signer's publisher on a real database, called directly: it signs what is due and
 * nothing else, and a node that only reads the database (a {@link CaPublication} with no
 * CA) serves the result.
 */
class RevocationDataPublisherTest {

	@TempDir
	Path temp;

	private JdbcTemplate jdbc;

	private JdbcIssuanceJournal journal;

	private RevocableCertificateAuthority ca;

	private RevocationDataPublisher publisher;

	/** What an RA node has: the database, no key. */
	private CaPublication ra;

	@BeforeEach
	void signerAndNodeOnOneDatabase() {
		DriverManagerDataSource database = new DriverManagerDataSource(
				"jdbc:h2:mem:publisher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		this.jdbc = new JdbcTemplate(database);
		this.journal = new JdbcIssuanceJournal(this.jdbc, new DataSourceTransactionManager(database));
		CaConfiguration configuration = new CaConfiguration();
		CaSettings settings = configuration.caSettings(
				CertFlowPropertiesFixture.properties(this.temp.resolve("data"), false, false, "admin", true),
				CertFlowPropertiesFixture.caValues("a-keystore-secret", "1.3.6.1.4.1.99999.1",
						CaSettings.KeyStorage.PKCS12,
						Map.of("standard", new CaSettings.Values.Profile(Duration.ofDays(30),
								List.of("1.3.6.1.5.5.7.3.4"), false, null))));
		this.ca = CaKeyConfiguration.open(settings, this.journal, this.jdbc, database, false);
		this.publisher = new RevocationDataPublisher(this.ca, new RevocationStore(this.jdbc), Clock.systemUTC());
		this.ra = new CaPublication(new RevocationStore(this.jdbc));
	}

	@Test
	void aStatusChangeIsWrittenOnlyOverTheStatusItWasDecidedOn() {
		IssuedCertificate issued = Subscribers.issueStandard(this.ca, "cas@example.org");
		String issuer = this.ca.issuerDn();
		Instant now = Instant.now();
		// Another node revoked it for keyCompromise after this one read "good".
		assertThat(this.journal.recordRevocation(issuer, issued.serial(), RevocationReason.KEY_COMPROMISE, now, null))
			.isTrue();
		assertThat(this.journal.recordRevocation(issuer, issued.serial(), RevocationReason.CERTIFICATE_HOLD, now, null))
			.as("a hold decided on the old status")
			.isFalse();
		assertThat(this.journal.clearRevocation(issuer, issued.serial(), RevocationReason.CERTIFICATE_HOLD))
			.as("an unsuspend decided on a hold that is gone")
			.isFalse();
		assertThat(this.journal.status(issuer, issued.serial()).orElseThrow().reason())
			.isEqualTo(RevocationReason.KEY_COMPROMISE);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where event_type in "
						+ "('REVOKED', 'SUSPENDED', 'UNSUSPENDED') and serial_hex = ?",
				Integer.class, issued.serial().toString(16)))
			.as("audit events: only the change that was written")
			.isOne();
	}

	@Test
	void signsOcspForNewCertificatesOnceAndAgainOnlyAfterAStatusChange() throws Exception {
		assertThat(this.publisher.publishDue()).isEqualTo(new RevocationDataPublisher.Published(0, true, true));
		IssuedCertificate issued = Subscribers.issueStandard(this.ca, "ada@example.org");
		assertThat(status(ocsp(issued))).as("no response signed yet").isEqualTo(OCSPResp.UNAUTHORIZED);

		RevocationDataPublisher.Published first = this.publisher.publishDue();

		assertThat(first).isEqualTo(new RevocationDataPublisher.Published(1, false, false));
		// A new node: this one caches the "none" it saw for two seconds.
		this.ra = new CaPublication(new RevocationStore(this.jdbc));
		assertThat(certStatus(ocsp(issued))).isEqualTo(CertificateStatus.GOOD);
		Instant nextDue = this.jdbc.queryForObject("select ocsp_due_at from issued_certificate", Timestamp.class)
			.toInstant();
		assertThat(Duration.between(Instant.now(), nextDue)).isBetween(Duration.ofHours(47), Duration.ofHours(48));
		assertThat(this.publisher.publishDue()).isEqualTo(new RevocationDataPublisher.Published(0, false, false));

		// What an RA node does: the rules and the registry, no key.
		new CertificateStatusRules(this.journal, Clock.systemUTC()).revoke(this.ca.issuerDn(), issued.serial(),
				RevocationReason.KEY_COMPROMISE);
		BigInteger crlBefore = crlNumber();

		RevocationDataPublisher.Published afterChange = this.publisher.publishDue();

		assertThat(afterChange).isEqualTo(new RevocationDataPublisher.Published(1, true, false));
		assertThat(crlNumber()).isGreaterThan(crlBefore);
		assertThat(this.jdbc.queryForObject("select crl_pending from issued_certificate", Integer.class)).isZero();
		assertThat(this.publisher.publishDue()).isEqualTo(new RevocationDataPublisher.Published(0, false, false));
		// The node's cache (two seconds) may still hold the good answer; the database has
		// the new one.
		this.ra = new CaPublication(new RevocationStore(this.jdbc));
		assertThat(certStatus(ocsp(issued))).isInstanceOf(RevokedStatus.class);
		assertThat(crl().isRevoked(issued.certificate())).isTrue();
	}

	@Test
	void publishesTheChainForNodesWithoutTheKeyStore() throws Exception {
		this.publisher.publishDue();

		assertThat(this.ra.issuingCaDer()).isEqualTo(this.ca.caChain().get(0).getEncoded());
		assertThat(this.ra.chainPem()).isEqualTo(this.ca.caChainPem());
		assertThat(this.ra.issuerDn()).isEqualTo(this.ca.issuerDn());
	}

	private byte[] ocsp(IssuedCertificate issued) throws Exception {
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(this.ca.caChain().get(0)), issued.serial());
		return this.ra.ocsp(new OCSPReqBuilder().addRequest(id).build().getEncoded());
	}

	private static int status(byte[] response) throws Exception {
		return new OCSPResp(response).getStatus();
	}

	private static CertificateStatus certStatus(byte[] response) throws Exception {
		OCSPResp resp = new OCSPResp(response);
		assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		return ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0].getCertStatus();
	}

	private X509CRL crl() throws Exception {
		return (X509CRL) CertificateFactory.getInstance("X.509")
			.generateCRL(new ByteArrayInputStream(
					this.jdbc.queryForObject("select der from published_crl where ca_role = 'issuing'", byte[].class)));
	}

	private BigInteger crlNumber() {
		return BigInteger.valueOf(
				this.jdbc.queryForObject("select crl_number from published_crl where ca_role = 'issuing'", Long.class));
	}

}
