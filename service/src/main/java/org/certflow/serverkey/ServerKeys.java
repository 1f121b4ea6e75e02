package org.certflow.serverkey;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Out-port: the encrypted key material of server-made keys ({@code server_key}). Rows are
 * written at submission, sealed at issuance and deleted at delivery or when the request
 * ends; nothing here is ever logged.
 */
@Repository
public class ServerKeys {

	private final JdbcTemplate jdbc;

	ServerKeys(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A stored row.
	 *
	 * @param requestId the request
	 * @param keyToken the key type to make (class token, e.g. EC-P256)
	 * @param escrow the escrow
	 * @param sealedKey the sealed subject key, or null before issuance
	 * @param wrongPasswords wrong p12 passwords so far
	 */
	public record Stored(String requestId, String keyToken, KeyEscrow.Escrow escrow, byte[] sealedKey,
			int wrongPasswords) {
	}

	/** Stores the escrow of a new SERVER request. */
	public void create(String requestId, String keyToken, KeyEscrow.Escrow escrow, Instant now) {
		this.jdbc.update(
				"insert into server_key (request_id, key_token, escrow_public_key, escrow_private_key, escrow_salt, "
						+ "escrow_iterations, wrong_passwords, created_at) values (?, ?, ?, ?, ?, ?, 0, ?)",
				requestId, keyToken, escrow.publicKey(), escrow.wrappedPrivateKey(), escrow.salt(), escrow.iterations(),
				Timestamp.from(now));
	}

	/**
	 * @param requestId the request
	 * @param lock whether to row-lock it until the transaction ends (pickup, sealing)
	 * @return the row
	 */
	public Optional<Stored> find(String requestId, boolean lock) {
		List<Stored> rows = this.jdbc.query(
				"select request_id, key_token, escrow_public_key, escrow_private_key, escrow_salt, escrow_iterations, "
						+ "sealed_key, wrong_passwords from server_key where request_id = ?"
						+ (lock ? " for update" : ""),
				(rs, i) -> new Stored(rs.getString(1), rs.getString(2),
						new KeyEscrow.Escrow(rs.getBytes(3), rs.getBytes(4), rs.getBytes(5), rs.getInt(6)),
						rs.getBytes(7), rs.getInt(8)),
				requestId);
		return rows.stream().findFirst();
	}

	/** Stores the sealed subject key made at issuance. */
	public void seal(String requestId, byte[] sealedKey, Instant now) {
		this.jdbc.update("update server_key set sealed_key = ?, sealed_at = ? where request_id = ?", sealedKey,
				Timestamp.from(now), requestId);
	}

	/**
	 * @return the wrong passwords now counted
	 */
	public int wrongPassword(String requestId) {
		this.jdbc.update("update server_key set wrong_passwords = wrong_passwords + 1 where request_id = ?", requestId);
		return this.jdbc.queryForObject("select wrong_passwords from server_key where request_id = ?", Integer.class,
				requestId);
	}

	/**
	 * @return whether a row was deleted
	 */
	public boolean delete(String requestId) {
		return this.jdbc.update("delete from server_key where request_id = ?", requestId) > 0;
	}

	/**
	 * @return the requests whose key material is still stored although their request is
	 * in one of the given statuses
	 */
	public List<String> heldFor(List<String> statuses) {
		String marks = String.join(",", statuses.stream().map((s) -> "?").toList());
		return this.jdbc.queryForList(
				"select k.request_id from server_key k join certificate_request r "
						+ "on r.request_id = k.request_id where r.status in (" + marks + ")",
				String.class, statuses.toArray());
	}

	/**
	 * @return the collected requests whose key is still stored and whose request last
	 * changed before the given instant
	 */
	public List<String> collectedBefore(String status, Instant before) {
		return this.jdbc.queryForList(
				"select k.request_id from server_key k join certificate_request r "
						+ "on r.request_id = k.request_id where r.status = ? and r.updated_at < ?",
				String.class, status, Timestamp.from(before));
	}

}
