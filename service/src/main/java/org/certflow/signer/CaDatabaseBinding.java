package org.certflow.signer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.certflow.ca.CaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the CA's keys and the database that records its certificates together
 * (V4__ca_binding.sql). Keys from one installation with the database of another would
 * make OCSP answer "unknown" for every earlier certificate, drop revocations from the CRL
 * and restart its number, all without an error; so a mismatch stops start-up and says
 * what to restore.
 */
final class CaDatabaseBinding {

	/** Name of the key store file CaKeyStore keeps under {@code <data-dir>/ca}. */
	static final String KEY_STORE_FILE = "ca.p12";

	/** Setting that lets a database without any CA record take existing keys on. */
	static final String ADOPT_SETTING = "certflow.ca.adopt-existing-keys";

	private static final String THE_CA = "ca";

	private static final Logger log = LoggerFactory.getLogger(CaDatabaseBinding.class);

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	CaDatabaseBinding(JdbcTemplate jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/**
	 * Before the CA is opened: a PKCS#12 key store that is missing while the database
	 * serves a CA must not be replaced by a new one.
	 * @param settings the CA settings
	 * @return whether the CA will create its keys now (PKCS#12 file absent)
	 */
	boolean checkBeforeOpening(CaSettings settings) {
		if (settings.keyStorage() != CaSettings.KeyStorage.PKCS12) {
			return false;
		}
		Path keyStore = settings.caDirectory().resolve(KEY_STORE_FILE);
		if (Files.exists(keyStore)) {
			return false;
		}
		Optional<Bound> bound = bound();
		if (bound.isPresent()) {
			throw new IllegalStateException("The database at " + databaseUrl() + " serves the CA with issuing "
					+ "certificate SHA-256 " + bound.get().issuingSha256() + " (" + bound.get().issuingSubject()
					+ "), but " + keyStore + " does not exist, and a new CA would not match it. Restore "
					+ settings.caDirectory() + " and the database from the same backup, or point certflow.data-dir "
					+ "to the directory that holds this CA's key store.");
		}
		return true;
	}

	/**
	 * After the CA is opened: records the CA in a new database, or checks that it is the
	 * one the database serves.
	 * @param chain the CA chain, issuing CA first, root last
	 * @param keysCreatedNow whether the keys were created by this start
	 * @param adoptExistingKeys whether an operator allowed existing keys to be taken on
	 * by a database without any record and without certificates
	 * @param keyStore where the keys are, for the messages
	 */
	void check(List<X509Certificate> chain, boolean keysCreatedNow, boolean adoptExistingKeys, String keyStore) {
		X509Certificate issuing = chain.get(0);
		X509Certificate root = chain.get(chain.size() - 1);
		Bound present = new Bound(sha256(root), sha256(issuing), issuing.getSubjectX500Principal().getName());
		Optional<Bound> bound = bound();
		if (bound.isPresent()) {
			requireSame(bound.get(), present, keyStore);
			return;
		}
		long issued = this.jdbc.queryForObject("select count(*) from issued_certificate", Long.class);
		if (issued > 0) {
			// A database from before the CA was recorded: it takes the keys on only when
			// every certificate it holds was signed by them.
			List<String> foreign = notSignedBy(issuing);
			if (!foreign.isEmpty()) {
				throw new IllegalStateException("The database at " + databaseUrl() + " holds " + issued
						+ " certificates, and " + foreign.size() + " of them (serials " + String.join(", ", foreign)
						+ ") were not signed by the issuing CA in " + keyStore + " (SHA-256 " + present.issuingSha256()
						+ "). Restore the CA directory and the database from the same backup, or point "
						+ "certflow.data-dir to the directory that holds the CA these certificates belong to.");
			}
			log.info("Database at {} holds {} certificates signed by the CA in {}: recording that it serves this CA",
					databaseUrl(), issued, keyStore);
		}
		else if (!keysCreatedNow && !adoptExistingKeys) {
			throw new IllegalStateException("The database at " + databaseUrl() + " has no record of any CA, but "
					+ keyStore + " already holds the CA with issuing certificate SHA-256 " + present.issuingSha256()
					+ " (" + present.issuingSubject() + "), which may have issued certificates recorded in another "
					+ "database. Point the database settings to the database that belongs with this CA (restore "
					+ "both from the same backup), or point certflow.data-dir to a new directory for a new CA. If "
					+ "this CA has never issued a certificate, start once with " + ADOPT_SETTING + "=true.");
		}
		record(present);
	}

	private void requireSame(Bound bound, Bound present, String keyStore) {
		if (!bound.rootSha256().equals(present.rootSha256())
				|| !bound.issuingSha256().equals(present.issuingSha256())) {
			throw new IllegalStateException("The database at " + databaseUrl() + " serves the CA with issuing "
					+ "certificate SHA-256 " + bound.issuingSha256() + " (" + bound.issuingSubject() + "), but "
					+ keyStore + " holds " + present.issuingSha256() + " (" + present.issuingSubject() + "). Restore "
					+ "the CA directory and the database from the same backup, or point certflow.data-dir to the "
					+ "directory that holds the CA this database serves.");
		}
	}

	private void record(Bound present) {
		try {
			this.jdbc.update(
					"insert into ca_binding (binding_key, root_sha256, issuing_sha256, issuing_subject, bound_at) "
							+ "values (?, ?, ?, ?, ?)",
					THE_CA, present.rootSha256(), present.issuingSha256(), present.issuingSubject(),
					Timestamp.from(Instant.now()));
			log.info("Database at {} now serves the CA with issuing certificate SHA-256 {}", databaseUrl(),
					present.issuingSha256());
		}
		catch (DuplicateKeyException ex) {
			// Another node recorded its CA at the same moment: it must be this one.
			requireSame(bound().orElseThrow(), present, "this node's key store");
		}
	}

	private Optional<Bound> bound() {
		return this.jdbc
			.query("select root_sha256, issuing_sha256, issuing_subject from ca_binding where binding_key = ?",
					(rs, row) -> new Bound(rs.getString(1), rs.getString(2), rs.getString(3)), THE_CA)
			.stream()
			.findFirst();
	}

	private List<String> notSignedBy(X509Certificate issuing) {
		List<String> foreign = new ArrayList<>();
		CertificateFactory x509;
		try {
			x509 = CertificateFactory.getInstance("X.509");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("no X.509 support in this JVM", ex);
		}
		this.jdbc.query("select serial_hex, der from issued_certificate", (rs) -> {
			try {
				x509.generateCertificate(new ByteArrayInputStream(rs.getBytes(2))).verify(issuing.getPublicKey());
			}
			catch (GeneralSecurityException | RuntimeException ex) {
				if (foreign.size() < 5) {
					foreign.add(rs.getString(1));
				}
				else if (foreign.size() == 5) {
					foreign.add("...");
				}
			}
		});
		return foreign;
	}

	private String databaseUrl() {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection.getMetaData().getURL();
		}
		catch (SQLException ex) {
			return "(database URL unknown: " + ex.getMessage() + ")";
		}
	}

	static String sha256(X509Certificate certificate) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (CertificateEncodingException | java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("cannot fingerprint the CA certificate", ex);
		}
	}

	private record Bound(String rootSha256, String issuingSha256, String issuingSubject) {
	}

}
