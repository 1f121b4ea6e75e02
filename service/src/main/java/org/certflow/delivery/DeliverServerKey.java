package org.certflow.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.certflow.CertFlowProperties;
import org.certflow.issuance.CertificateChains;
import org.certflow.request.RequestEventKind;
import org.certflow.request.RequestEvents;
import org.certflow.request.RequestException;
import org.certflow.request.RequestException.Kind;
import org.certflow.request.RequestStatus;
import org.certflow.serverkey.KeyEscrow;
import org.certflow.serverkey.Pkcs12Files;
import org.certflow.serverkey.ServerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the applicant downloads a server-made key as a PKCS#12 file, protected with
 * the password they chose at application. The server's copy is deleted in the same
 * transaction, so a key is delivered at most once; a wrong password is counted (committed
 * although refused) and, like a PIN, the limit-th wrong one ends it: the key is deleted.
 */
@Service
public class DeliverServerKey {

	private static final Logger log = LoggerFactory.getLogger(DeliverServerKey.class);

	/**
	 * How long a collected request keeps its key for the download: the success page's
	 * window with a margin.
	 */
	static final Duration KEPT_AFTER_COLLECTION = Duration.ofMinutes(20);

	/** Request statuses that end without a delivery: their keys are deleted. */
	static final List<String> ENDED = List.of(RequestStatus.CANCELLED.name(), RequestStatus.REJECTED.name(),
			RequestStatus.EXPIRED.name(), RequestStatus.REVOKED.name());

	private final ServerKeys serverKeys;

	private final CertificateChains chains;

	private final RequestEvents events;

	private final CertFlowProperties properties;

	private final Clock clock;

	DeliverServerKey(ServerKeys serverKeys, CertificateChains chains, RequestEvents events,
			CertFlowProperties properties, Clock clock) {
		this.serverKeys = serverKeys;
		this.chains = chains;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @param requestId a collected SERVER request (the caller has checked the PIN)
	 * @param password the password the applicant chose at application
	 * @return the PKCS#12 file
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public byte[] pkcs12(String requestId, String password) {
		if (password == null || password.isEmpty()) {
			throw new RequestException(Kind.INVALID,
					"password is required: enter the key file password you chose when you applied.");
		}
		// Read without a lock: opening the key costs a deliberate second of PBKDF2, and
		// no other download may wait that long on a row lock. The delete below decides
		// which of two concurrent downloads delivers.
		ServerKeys.Stored stored = this.serverKeys.find(requestId, false).orElseThrow(DeliverServerKey::delivered);
		if (stored.sealedKey() == null) {
			throw new RequestException(Kind.CONFLICT, "The key for this request has not been made yet.");
		}
		char[] secret = password.toCharArray();
		byte[] pkcs8 = null;
		try {
			try {
				pkcs8 = KeyEscrow.open(stored.escrow(), secret, stored.sealedKey(), requestId);
			}
			catch (KeyEscrow.WrongPasswordException ex) {
				throw wrongPassword(requestId);
			}
			List<X509CertificateHolder> chain = ChainFormats.certificates(this.chains.chainPem(requestId));
			byte[] p12 = Pkcs12Files.build(pkcs8, chain, secret, "CertFlow " + requestId);
			if (!this.serverKeys.delete(requestId)) {
				// Another download (or the sweep) deleted it first: only one file leaves.
				throw delivered();
			}
			this.events.record(requestId, RequestEventKind.KEY_DELIVERED, RequestEvents.SYSTEM,
					"The key file was downloaded; the server's encrypted copy of the key was deleted.");
			log.info("Request {}: server-made key delivered and deleted", requestId);
			return p12;
		}
		finally {
			Arrays.fill(secret, '\0');
			if (pkcs8 != null) {
				Arrays.fill(pkcs8, (byte) 0);
			}
		}
	}

	private static RequestException delivered() {
		return new RequestException(Kind.GONE,
				"This key has already been delivered (or was deleted): the server keeps no copy. If you did not "
						+ "receive the file, ask your registration authority to revoke the certificate and apply again.");
	}

	private RequestException wrongPassword(String requestId) {
		int max = this.properties.activation().maxPinAttempts();
		int wrong = this.serverKeys.wrongPassword(requestId);
		if (wrong < 0) {
			return delivered();
		}
		int left = max - wrong;
		log.warn("Wrong key file password for request {} ({} attempts left)", requestId, Math.max(left, 0));
		if (left <= 0) {
			this.serverKeys.delete(requestId);
			this.events.record(requestId, RequestEventKind.KEY_DELETED, RequestEvents.SYSTEM,
					"Too many wrong key file passwords: the key was deleted.");
			return new RequestException(Kind.LOCKED,
					"The password is wrong. Too many wrong passwords: the key has been deleted and cannot be "
							+ "downloaded. Ask your registration authority to revoke this certificate and apply again.");
		}
		return new RequestException(Kind.WRONG_SECRET, "The password is wrong: enter the key file password you chose "
				+ "when you applied. " + left + ((left == 1) ? " attempt" : " attempts") + " left.");
	}

	/**
	 * Deletes the keys nobody will collect: requests cancelled, rejected, expired or
	 * revoked, and collected requests whose download window has passed.
	 * @return how many keys were deleted
	 */
	@Scheduled(initialDelayString = "${certflow.server-key-sweep-interval:PT5M}",
			fixedDelayString = "${certflow.server-key-sweep-interval:PT5M}")
	@Transactional
	public int sweep() {
		Instant now = this.clock.instant();
		int deleted = 0;
		for (String requestId : this.serverKeys.heldFor(ENDED)) {
			deleted += delete(requestId, "The request ended without a delivery: the server-made key was deleted.");
		}
		for (String requestId : this.serverKeys.collectedBefore(RequestStatus.COLLECTED.name(),
				now.minus(KEPT_AFTER_COLLECTION))) {
			deleted += delete(requestId,
					"The key file was not downloaded in time after the activation: the server-made key was deleted.");
		}
		return deleted;
	}

	private int delete(String requestId, String why) {
		if (!this.serverKeys.delete(requestId)) {
			return 0;
		}
		this.events.record(requestId, RequestEventKind.KEY_DELETED, RequestEvents.SYSTEM, why);
		log.info("Request {}: server-made key deleted ({})", requestId, why);
		return 1;
	}

}
