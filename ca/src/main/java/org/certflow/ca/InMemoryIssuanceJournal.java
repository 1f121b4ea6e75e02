package org.certflow.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Journal and revocation registry in memory, for tests and demos. It enforces the same
 * invariants a database adapter must: unique (issuer, serial) across reservations, issued
 * and burned serials, one certificate per request id, records only against a reservation.
 */
public final class InMemoryIssuanceJournal implements IssuanceJournal, RevocationRegistry {

	private final Map<Key, Entry> bySerial = new HashMap<>();

	private final Map<String, Key> serialByRequest = new HashMap<>();

	private final Map<String, String> subscriberByKey = new HashMap<>();

	private final Map<String, BigInteger> crlNumbers = new HashMap<>();

	@Override
	public synchronized Optional<byte[]> findIssuedByRequestId(String requestId) {
		Key key = this.serialByRequest.get(requestId);
		return (key != null) ? Optional.of(this.bySerial.get(key).issued.der().clone()) : Optional.empty();
	}

	@Override
	public synchronized boolean reserve(SerialReservation reservation) {
		Key key = key(reservation.issuer(), reservation.serial());
		if (this.bySerial.containsKey(key)) {
			return false;
		}
		this.bySerial.put(key, new Entry(reservation));
		return true;
	}

	@Override
	public synchronized void recordIssued(IssuedRecord issued) {
		Key key = key(issued.issuer(), issued.serial());
		Entry entry = this.bySerial.get(key);
		if (entry == null || entry.burned != null || entry.issued != null) {
			throw new IllegalStateException("serial " + issued.serial().toString(16) + " is not reserved");
		}
		if (!entry.reservation.requestId().equals(issued.requestId())) {
			throw new IllegalStateException("serial was reserved for another request");
		}
		if (this.serialByRequest.containsKey(issued.requestId())) {
			throw new IllegalStateException("request " + issued.requestId() + " already has a certificate");
		}
		entry.issued = issued;
		this.serialByRequest.put(issued.requestId(), key);
		this.subscriberByKey.putIfAbsent(HexFormat.of().formatHex(issued.spkiSha256()), issued.subscriber());
	}

	@Override
	public synchronized void burn(String issuer, BigInteger serial, String why) {
		Entry entry = this.bySerial.get(key(issuer, serial));
		if (entry != null && entry.issued == null) {
			entry.burned = why;
		}
	}

	@Override
	public synchronized Optional<String> subscriberOfPublicKey(byte[] spkiSha256) {
		return Optional.ofNullable(this.subscriberByKey.get(HexFormat.of().formatHex(spkiSha256)));
	}

	@Override
	public synchronized Optional<CertificateStatus> status(String issuer, BigInteger serial) {
		Entry e = this.bySerial.get(key(issuer, serial));
		if (e == null || e.issued == null) {
			return Optional.empty();
		}
		return Optional.of(new CertificateStatus(serial, e.issued.notAfter(), e.reason, e.revokedAt));
	}

	@Override
	public synchronized boolean recordRevocation(String issuer, BigInteger serial, RevocationReason reason,
			Instant revokedAt, RevocationReason expected) {
		Entry e = issued(issuer, serial);
		if (e.reason != expected) {
			return false;
		}
		e.reason = reason;
		e.revokedAt = revokedAt;
		return true;
	}

	@Override
	public synchronized boolean clearRevocation(String issuer, BigInteger serial, RevocationReason expected) {
		Entry e = issued(issuer, serial);
		if (e.reason != expected) {
			return false;
		}
		e.reason = null;
		e.revokedAt = null;
		return true;
	}

	@Override
	public synchronized List<RevokedEntry> revoked(String issuer, Instant notAfterFrom) {
		List<RevokedEntry> out = new ArrayList<>();
		for (Entry e : this.bySerial.values()) {
			if (e.issued != null && e.reason != null && e.issued.issuer().equals(issuer)
					&& !e.issued.notAfter().isBefore(notAfterFrom)) {
				out.add(new RevokedEntry(e.issued.serial(), e.reason, e.revokedAt, e.issued.notAfter()));
			}
		}
		return out;
	}

	@Override
	public synchronized BigInteger nextCrlNumber(String issuer) {
		return this.crlNumbers.merge(issuer, BigInteger.ONE, BigInteger::add);
	}

	/**
	 * Why a serial was burned, for tests and audits.
	 * @param issuer issuer DN
	 * @param serial the serial
	 * @return the reason given to {@link #burn}, if it was burned
	 */
	public synchronized Optional<String> burnReason(String issuer, BigInteger serial) {
		Entry e = this.bySerial.get(key(issuer, serial));
		return (e != null) ? Optional.ofNullable(e.burned) : Optional.empty();
	}

	/**
	 * All reservations, in no particular order.
	 * @return the reservations made so far
	 */
	public synchronized List<SerialReservation> reservations() {
		return this.bySerial.values().stream().map((e) -> e.reservation).toList();
	}

	/**
	 * Every certificate recorded as issued (DER), for checks by outside linters.
	 * @return copies, in no particular order
	 */
	synchronized List<byte[]> issuedCertificates() {
		return this.bySerial.values()
			.stream()
			.filter((e) -> e.issued != null)
			.map((e) -> e.issued.der().clone())
			.toList();
	}

	/**
	 * The number of certificates recorded as issued.
	 * @return the count
	 */
	public synchronized int issuedCount() {
		return this.serialByRequest.size();
	}

	private Entry issued(String issuer, BigInteger serial) {
		Entry e = this.bySerial.get(key(issuer, serial));
		if (e == null || e.issued == null) {
			throw new IllegalArgumentException("no issued certificate with serial " + serial.toString(16));
		}
		return e;
	}

	private static Key key(String issuer, BigInteger serial) {
		return new Key(issuer, serial);
	}

	private record Key(String issuer, BigInteger serial) {
	}

	private static final class Entry {

		final SerialReservation reservation;

		IssuedRecord issued;

		String burned;

		RevocationReason reason;

		Instant revokedAt;

		Entry(SerialReservation reservation) {
			this.reservation = reservation;
		}

	}

}
