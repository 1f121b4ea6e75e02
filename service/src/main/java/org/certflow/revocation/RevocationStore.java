package org.certflow.revocation;

import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.certflow.ca.OcspServer;
import org.certflow.ca.PreProducedOcsp;
import org.certflow.ca.SignedCrl;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The revocation data the signer publishes and every node serves
 * (V11__revocation_data.sql): CA certificates, current CRLs, pre-produced OCSP responses,
 * and the marks on issued certificates that tell the signer what is due. Serials are
 * stored as lowercase hex, as in the issuance journal.
 */
@Repository
public class RevocationStore {

	/** The one row of ca_binding (V4__ca_binding.sql). */
	private static final String THE_CA = "ca";

	private final JdbcTemplate jdbc;

	public RevocationStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	// --- read by every node

	/**
	 * The CA this database serves, as far as published.
	 * @return empty before the CA has started once against this database
	 */
	public Optional<PublishedCa> ca() {
		return this.jdbc
			.query("select issuing_subject, issuing_der, root_der from ca_binding where binding_key = ?",
					(rs, row) -> new PublishedCa(rs.getString(1), rs.getBytes(2), rs.getBytes(3)), THE_CA)
			.stream()
			.findFirst();
	}

	public Optional<StoredCrl> crl(CaRole role) {
		return this.jdbc
			.query("select der, crl_number, this_update, next_update from published_crl where ca_role = ?",
					(rs, row) -> new StoredCrl(rs.getBytes(1), BigInteger.valueOf(rs.getLong(2)),
							rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()),
					role.column())
			.stream()
			.findFirst();
	}

	/**
	 * @return the DER OCSPResponse, or {@code null} when none was produced
	 */
	public byte[] ocsp(String issuer, BigInteger serial, OcspServer.CertIdHash hash) {
		String column = (hash == OcspServer.CertIdHash.SHA1) ? "sha1_der" : "sha256_der";
		List<byte[]> found = this.jdbc.query(
				"select " + column + " from ocsp_response where issuer = ? and serial_hex = ?",
				(rs, row) -> rs.getBytes(1), issuer, serial.toString(16));
		return found.isEmpty() ? null : found.get(0);
	}

	// --- written by the signer

	public void storeChain(byte[] issuingDer, byte[] rootDer) {
		this.jdbc.update("update ca_binding set issuing_der = ?, root_der = ? where binding_key = ?", issuingDer,
				rootDer, THE_CA);
	}

	/**
	 * Certificates whose OCSP responses are due, the most overdue first.
	 */
	public List<DueCertificate> dueForOcsp(String issuer, Instant now, int limit) {
		return this.jdbc.query(
				"select serial_hex, ocsp_due_at, not_after from issued_certificate where issuer = ? "
						+ "and ocsp_due_at <= ? order by ocsp_due_at limit ?",
				(rs, row) -> new DueCertificate(new BigInteger(rs.getString(1), 16), rs.getTimestamp(2),
						rs.getTimestamp(3).toInstant()),
				issuer, Timestamp.from(now), limit);
	}

	public void storeOcsp(String issuer, PreProducedOcsp produced) {
		String serial = produced.serial().toString(16);
		Object[] values = { produced.sha1Response(), produced.sha256Response(), Timestamp.from(produced.thisUpdate()),
				Timestamp.from(produced.nextUpdate()), issuer, serial };
		String update = "update ocsp_response set sha1_der = ?, sha256_der = ?, this_update = ?, next_update = ? "
				+ "where issuer = ? and serial_hex = ?";
		if (this.jdbc.update(update, values) == 0) {
			try {
				this.jdbc.update("insert into ocsp_response (sha1_der, sha256_der, this_update, next_update, issuer, "
						+ "serial_hex) values (?, ?, ?, ?, ?, ?)", values);
			}
			catch (DuplicateKeyException ex) {
				this.jdbc.update(update, values);
			}
		}
	}

	/**
	 * Sets when the certificate is due next, unless its status changed since {@code due}
	 * was read: a change sets a new due time, and the compare keeps it.
	 * @param next the next due time, {@code null} for never (expired)
	 * @return whether the mark was moved
	 */
	public boolean ocspProduced(String issuer, DueCertificate due, Instant next) {
		return this.jdbc.update(
				"update issued_certificate set ocsp_due_at = ? where issuer = ? and serial_hex = ? and ocsp_due_at = ?",
				(next != null) ? Timestamp.from(next) : null, issuer, due.serial().toString(16), due.dueAt()) > 0;
	}

	/**
	 * Status changes no published CRL lists yet.
	 */
	public List<PendingChange> crlPending(String issuer) {
		return this.jdbc.query(
				"select serial_hex, status_changed_at from issued_certificate where issuer = ? and crl_pending = 1",
				(rs, row) -> new PendingChange(rs.getString(1), rs.getTimestamp(2)), issuer);
	}

	public void storeCrl(CaRole role, String issuer, SignedCrl crl) {
		Object[] values = { issuer, crl.der(), crl.number().longValueExact(), Timestamp.from(crl.thisUpdate()),
				Timestamp.from(crl.nextUpdate()), role.column() };
		String update = "update published_crl set issuer = ?, der = ?, crl_number = ?, this_update = ?, "
				+ "next_update = ? where ca_role = ?";
		if (this.jdbc.update(update, values) == 0) {
			try {
				this.jdbc.update("insert into published_crl (issuer, der, crl_number, this_update, next_update, "
						+ "ca_role) values (?, ?, ?, ?, ?, ?)", values);
			}
			catch (DuplicateKeyException ex) {
				this.jdbc.update(update, values);
			}
		}
	}

	/**
	 * Clears the marks of changes a stored CRL lists; a change made since it was read
	 * keeps its mark (its time differs).
	 */
	public void crlPublished(String issuer, List<PendingChange> listed) {
		for (PendingChange change : listed) {
			this.jdbc.update(
					"update issued_certificate set crl_pending = 0 where issuer = ? and serial_hex = ? "
							+ "and crl_pending = 1 and status_changed_at = ?",
					issuer, change.serialHex(), change.changedAt());
		}
	}

	/** Which CA a CRL belongs to. */
	public enum CaRole {

		ISSUING, ROOT;

		String column() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * The CA as published for nodes without the key store.
	 *
	 * @param issuerDn the issuing CA's subject (RFC 2253), the registry's issuer key
	 * @param issuingDer the issuing CA certificate, {@code null} until the signer
	 * published it
	 * @param rootDer the root CA certificate, {@code null} until the signer published it
	 */
	public record PublishedCa(String issuerDn, byte[] issuingDer, byte[] rootDer) {

		boolean chainPublished() {
			return this.issuingDer != null && this.rootDer != null;
		}

	}

	public record StoredCrl(byte[] der, BigInteger number, Instant thisUpdate, Instant nextUpdate) {
	}

	/** The due time is kept as read, for the compare-and-set. */
	public record DueCertificate(BigInteger serial, Timestamp dueAt, Instant notAfter) {
	}

	public record PendingChange(String serialHex, Timestamp changedAt) {
	}

}
