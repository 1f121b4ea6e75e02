package org.certflow.issuance;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.certflow.audit.AuditEvent;
import org.certflow.audit.AuditTrail;
import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.RevocationReason;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The CA's audit trail on a real CA and a migrated database: what issuance and status
 * changes write, that concurrent writers keep one chain, and that each kind of tampering
 * with the table is found at the right event.
 */
class AuditChainTest {

	@TempDir
	static Path caDir;

	private static RevocableCertificateAuthority ca;

	private static JdbcIssuanceJournal journalOfCa;

	private static final boolean MARIADB = Boolean.getBoolean("certflow.it.mysql");

	private DriverManagerDataSource database;

	private String databaseName;

	private JdbcTemplate jdbc;

	private AuditTrail trail;

	@BeforeEach
	void newDatabase() {
		this.database = newDatabase(UUID.randomUUID().toString().replace("-", "").substring(0, 12));
		Flyway.configure().dataSource(this.database).locations("classpath:db/migration").load().migrate();
		this.jdbc = new JdbcTemplate(this.database);
		this.trail = new AuditTrail(this.jdbc, Clock.systemUTC());
		JdbcIssuanceJournal journal = new JdbcIssuanceJournal(this.jdbc,
				new DataSourceTransactionManager(this.database));
		// Opening the CA creates its keys (slow): once per class; each test then points
		// it at its own database through a journal that forwards.
		synchronized (AuditChainTest.class) {
			if (ca == null) {
				ca = CertificateAuthorities.openOrCreate(settings(), new ForwardingJournal(), new ForwardingJournal());
			}
			journalOfCa = journal;
		}
	}

	@AfterEach
	void dropMariaDbDatabase() {
		if (MARIADB) {
			this.jdbc.execute("drop database " + this.databaseName);
		}
	}

	/**
	 * H2 in memory, or with {@code -Dcertflow.it.mysql=true} (as .ci/run sets it) a new
	 * database on the MariaDB of CERTFLOW_DB_HOST, so that the head lock and the paging
	 * are tried on InnoDB too.
	 */
	private DriverManagerDataSource newDatabase(String suffix) {
		if (!MARIADB) {
			return new DriverManagerDataSource("jdbc:h2:mem:audit-" + suffix + ";DB_CLOSE_DELAY=-1", "sa", "");
		}
		String server = "jdbc:mysql://" + System.getenv().getOrDefault("CERTFLOW_DB_HOST", "127.0.0.1") + ":"
				+ System.getenv().getOrDefault("CERTFLOW_DB_PORT", "3306") + "/";
		String user = System.getenv().getOrDefault("CERTFLOW_DB_USER", "root");
		String password = System.getenv().getOrDefault("CERTFLOW_DB_PASSWORD", "");
		this.databaseName = "certflow_audit_" + suffix;
		new JdbcTemplate(new DriverManagerDataSource(server, user, password))
			.execute("create database " + this.databaseName);
		return new DriverManagerDataSource(server + this.databaseName + "?connectionTimeZone=UTC", user, password);
	}

	@Test
	void issuanceAuditsTheLintedTbsBeforeSigningAndTheFingerprintAfter() throws Exception {
		IssuedCertificate issued = issue("ada@example.org");

		List<Map<String, Object>> events = events();
		assertThat(events).hasSize(2);
		Map<String, Object> about = events.get(0);
		assertThat(about.get("EVENT_TYPE")).isEqualTo("ABOUT_TO_SIGN");
		assertThat(about.get("SERIAL_HEX")).isEqualTo(issued.serialHex());
		assertThat(about.get("REQUEST_ID")).isEqualTo(issued.requestId());
		byte[] tbs = issued.certificate().getTBSCertificate();
		assertThat((byte[]) about.get("DOCUMENT")).isEqualTo(tbs);
		assertThat((String) about.get("DETAIL")).contains("profile=standard").contains("tbs-sha256=" + sha256(tbs));
		Map<String, Object> signed = events.get(1);
		assertThat(signed.get("EVENT_TYPE")).isEqualTo("SIGNED");
		assertThat((String) signed.get("DETAIL"))
			.isEqualTo("certificate-sha256=" + sha256(issued.certificate().getEncoded()));
		assertThat(signed.get("PREV_HASH")).isEqualTo(about.get("EVENT_HASH"));
		assertThat(this.trail.verify()).extracting("valid", "events", "firstBrokenEvent")
			.containsExactly(true, 2L, null);
	}

	@Test
	void suspensionUnsuspensionRevocationAndBurnsAreAuditedInTheChain() {
		BigInteger serial = new BigInteger(issue("bob@example.org").serialHex(), 16);
		ca.suspend(serial);
		ca.unsuspend(serial);
		ca.revoke(serial, RevocationReason.KEY_COMPROMISE);
		this.jdbc.update(
				"insert into serial_reservation (issuer, serial_hex, request_id, tbs_sha256, reserved_at) "
						+ "values ('CN=Issuing', 'dead', 'r-dead', '00', ?)",
				java.sql.Timestamp.valueOf("2020-01-01 00:00:00"));
		journalOfCa.burnAbandoned(java.time.Duration.ofMinutes(1), java.time.Instant.now());

		assertThat(events()).extracting((e) -> e.get("EVENT_TYPE"))
			.containsExactly("ABOUT_TO_SIGN", "SIGNED", "SUSPENDED", "UNSUSPENDED", "REVOKED", "SERIAL_BURNED");
		assertThat((String) events().get(4).get("DETAIL")).contains("reason=keyCompromise");
		assertThat(this.trail.verify().valid()).isTrue();
	}

	@Test
	void anEditedFieldIsFoundAtThatEvent() {
		issueSeveral(3);
		this.jdbc.update("update audit_event set request_id = 'someone-else' where event_id = 3");
		assertBrokenAt(3);
	}

	@Test
	void anEditedTbsIsFoundAtThatEvent() {
		issueSeveral(3);
		byte[] tbs = this.jdbc.queryForObject("select document from audit_event where event_id = 5", byte[].class);
		tbs[tbs.length - 1] ^= 1;
		this.jdbc.update("update audit_event set document = ? where event_id = 5", tbs);
		assertBrokenAt(5);
	}

	@Test
	void anEditedHashThatStillMatchesItsContentBreaksTheNextLink() {
		issueSeveral(2);
		this.jdbc.update("update audit_event set detail = 'profile=other' where event_id = 1");
		// Someone recomputing the edited row's own hash cannot make the next row agree.
		this.jdbc.update("update audit_event set event_hash = ? where event_id = 1", "ab".repeat(32));
		assertBrokenAt(1);
	}

	@Test
	void aDeletedMiddleEventIsFoundAsTheGap() {
		issueSeveral(3);
		this.jdbc.update("delete from audit_event where event_id = 4");
		assertBrokenAt(4);
	}

	@Test
	void eventsCutOffTheEndAreFoundByTheHead() {
		issueSeveral(3);
		this.jdbc.update("delete from audit_event where event_id >= 5");
		assertBrokenAt(5);
	}

	@Test
	void reorderedEventsAreFoundAtTheFirstMovedOne() {
		issueSeveral(3);
		this.jdbc.update("update audit_event set event_id = 100 where event_id = 2");
		this.jdbc.update("update audit_event set event_id = 2 where event_id = 3");
		this.jdbc.update("update audit_event set event_id = 3 where event_id = 100");
		assertBrokenAt(2);
	}

	@Test
	void anEventInsertedBehindTheTrailsBackIsFound() {
		issueSeveral(1);
		String last = this.jdbc.queryForObject("select event_hash from audit_event where event_id = 2", String.class);
		this.jdbc.update("insert into audit_event (event_id, recorded_at, event_type, prev_hash, event_hash) "
				+ "values (3, '2026-01-01 00:00:00', 'SIGNED', ?, ?)", last, "cd".repeat(32));
		assertBrokenAt(3);
	}

	@Test
	void concurrentIssuanceKeepsOneValidChain() throws Exception {
		int threads = 4;
		int each = 10;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					for (int i = 0; i < each; i++) {
						issue("t" + thread + "-" + i + "@example.org");
					}
					return null;
				}));
			}
			for (Future<?> f : done) {
				f.get();
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(this.trail.verify()).extracting("valid", "events", "firstBrokenEvent")
			.containsExactly(true, (long) (2 * threads * each), null);
		assertThat(this.jdbc.queryForObject("select count(*) from serial_reservation", Integer.class))
			.isEqualTo(threads * each);
	}

	@Test
	void aLongChainIsVerifiedPageByPage() {
		new TransactionTemplate(new DataSourceTransactionManager(this.database)).executeWithoutResult((s) -> {
			for (int i = 0; i < 2500; i++) {
				this.trail.append(new AuditEvent(AuditEvent.Type.SIGNED, "CN=Issuing", Integer.toHexString(i), null,
						"certificate-sha256=00", null));
			}
		});
		assertThat(this.trail.verify()).extracting("valid", "events").containsExactly(true, 2500L);
		this.jdbc.update("update audit_event set serial_hex = 'ff' where event_id = 2001");
		assertBrokenAt(2001);
	}

	@Test
	void refusesToAppendOutsideATransaction() {
		assertThatIllegalStateException().isThrownBy(
				() -> this.trail.append(new AuditEvent(AuditEvent.Type.SIGNED, "CN=Issuing", "1", null, null, null)));
	}

	private void assertBrokenAt(long eventId) {
		AuditTrail.Verification verification = this.trail.verify();
		assertThat(verification.valid()).isFalse();
		assertThat(verification.firstBrokenEvent()).isEqualTo(eventId);
	}

	private List<Map<String, Object>> events() {
		// Column names in upper case on H2, lower case on MariaDB: one spelling for both.
		return this.jdbc.queryForList("select * from audit_event order by event_id").stream().map((row) -> {
			Map<String, Object> upper = new java.util.HashMap<>();
			row.forEach((key, value) -> upper.put(key.toUpperCase(java.util.Locale.ROOT), value));
			return upper;
		}).toList();
	}

	private void issueSeveral(int count) {
		for (int i = 0; i < count; i++) {
			issue("several-" + i + "@example.org");
		}
	}

	private static IssuedCertificate issue(String mailbox) {
		return Subscribers.issueStandard(ca, mailbox);
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	private static CaSettings settings() {
		return CaSettings.builder()
			.dataDir(caDir)
			.keystorePassword("a-keystore-secret".toCharArray())
			.crlUrl("http://ca.example.test/ca/crl")
			.ocspUrl("http://ca.example.test/ocsp")
			.caIssuersUrl("http://ca.example.test/ca/chain.pem")
			.certificatePolicyOid("1.3.6.1.4.1.99999.1.1")
			.build();
	}

	/** The journal of the current test's database, behind the CA opened once. */
	private static final class ForwardingJournal
			implements org.certflow.ca.IssuanceJournal, org.certflow.ca.RevocationRegistry {

		private static JdbcIssuanceJournal to() {
			return journalOfCa;
		}

		@Override
		public java.util.Optional<byte[]> findIssuedByRequestId(String requestId) {
			return to().findIssuedByRequestId(requestId);
		}

		@Override
		public boolean reserve(SerialReservation reservation) {
			return to().reserve(reservation);
		}

		@Override
		public void recordIssued(IssuedRecord issued) {
			to().recordIssued(issued);
		}

		@Override
		public void burn(String issuer, BigInteger serial, String why) {
			to().burn(issuer, serial, why);
		}

		@Override
		public java.util.Optional<String> subscriberOfPublicKey(byte[] spkiSha256) {
			return to().subscriberOfPublicKey(spkiSha256);
		}

		@Override
		public java.util.Optional<CertificateStatus> status(String issuer, BigInteger serial) {
			return to().status(issuer, serial);
		}

		@Override
		public boolean recordRevocation(String issuer, BigInteger serial, RevocationReason reason,
				java.time.Instant revokedAt, RevocationReason expected) {
			return to().recordRevocation(issuer, serial, reason, revokedAt, expected);
		}

		@Override
		public boolean clearRevocation(String issuer, BigInteger serial, RevocationReason expected) {
			return to().clearRevocation(issuer, serial, expected);
		}

		@Override
		public List<RevokedEntry> revoked(String issuer, java.time.Instant notAfterFrom) {
			return to().revoked(issuer, notAfterFrom);
		}

		@Override
		public BigInteger nextCrlNumber(String issuer) {
			return to().nextCrlNumber(issuer);
		}

	}

}
