package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import org.certflow.ca.CsrInspector;
import org.certflow.ca.InspectedCsr;
import org.certflow.ca.IssuanceRefusedException;
import org.certflow.serverkey.KeyEscrow;
import org.certflow.serverkey.ServerKeys;
import org.certflow.serverkey.SubjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port, the model's {@code Task_GenerateKeyPair}: makes the key pair of an approved
 * SERVER request right before signing, stores its CSR with the request (the signer reads
 * and checks it like any other) and keeps the private key only sealed to the applicant's
 * escrow (see {@link KeyEscrow}).
 *
 * <p>
 * Idempotent and crash-safe: the CSR and the sealed key are written in one transaction
 * with the request row locked, so either both exist or neither; a retry that finds a CSR
 * stored does nothing, and a retry after a crash before the commit makes a fresh key as
 * if the first attempt never happened.
 */
@Service
@RetriedOnLockConflict
public class GenerateServerKey {

	private static final Logger log = LoggerFactory.getLogger(GenerateServerKey.class);

	private final CertificateRequests requests;

	private final ServerKeys serverKeys;

	private final CsrInspector inspector;

	private final RequestEvents events;

	private final Clock clock;

	GenerateServerKey(CertificateRequests requests, ServerKeys serverKeys, CsrInspector inspector, RequestEvents events,
			Clock clock) {
		this.requests = requests;
		this.serverKeys = serverKeys;
		this.inspector = inspector;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * @param requestId the request
	 * @return whether the server makes the key of this request (the model's gateway asks)
	 */
	@Transactional(readOnly = true)
	public boolean keyMadeByServer(String requestId) {
		return this.requests.findById(requestId)
			.map(CertificateRequest::getKeySource)
			.orElse(KeySource.CSR) == KeySource.SERVER;
	}

	/**
	 * Makes the key pair and CSR of a SERVER request, once.
	 * @param requestId the request
	 */
	@Transactional
	public void generate(String requestId) {
		CertificateRequest request = this.requests.lockById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
		if (request.getKeySource() != KeySource.SERVER) {
			throw new IllegalStateException("Request " + requestId + " brings its own key");
		}
		if (request.getCsrDer() != null) {
			// A retry after this step committed: the key already exists.
			return;
		}
		// The request row lock above already serialises retries of this step.
		ServerKeys.Stored stored = this.serverKeys.find(requestId, false)
			.orElseThrow(() -> new IllegalStateException("No escrow stored for request " + requestId));
		SubjectKeys.Made made = SubjectKeys.make(stored.keyToken(), request.getFullName());
		byte[] pkcs8 = made.privateKeyPkcs8();
		Instant now = this.clock.instant();
		try {
			this.serverKeys.seal(requestId, KeyEscrow.seal(stored.escrow().publicKey(), pkcs8, requestId), now);
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
		InspectedCsr csr;
		try {
			csr = this.inspector.inspect(made.csrDer(), request.getClassIssuanceProfile());
		}
		catch (IssuanceRefusedException ex) {
			// Our own key refused by the CA's key policy is a configuration fault
			// (profile and class disagree), not the applicant's: the job fails and
			// shows in Cockpit.
			throw new IllegalStateException("The CA refuses the key the server made: " + ex.getMessage(), ex);
		}
		request.keyMade(made.csrDer(), csr.keyDescription(), HexFormat.of().formatHex(csr.spkiSha256()), now);
		this.events.record(requestId, RequestEventKind.KEY_MADE, RequestEvents.SYSTEM,
				"The server made a " + csr.keyDescription() + " key pair; its private key is kept encrypted under "
						+ "the applicant's password until it is downloaded.");
		log.info("Request {}: made a {} key pair", requestId, csr.keyDescription());
	}

}
