package org.certflow.delivery;

import java.time.Clock;
import java.time.Instant;

import org.certflow.CertFlowProperties;
import org.certflow.issuance.CertificateChains;
import org.certflow.issuance.CertificateChains.Standing;
import org.certflow.request.CertificateRequest;
import org.certflow.request.CertificateRequests;
import org.certflow.request.KeySource;
import org.certflow.request.RequestException;
import org.certflow.request.RequestException.Kind;
import org.certflow.request.RequestIssuance;
import org.certflow.request.RequestStatus;
import org.certflow.request.RequestWorkflow;
import org.certflow.security.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the applicant collects the certificate with the activation code and PIN. A
 * wrong PIN is counted and committed (noRollbackFor), so the limit holds; the limit-th
 * wrong PIN locks the code for good.
 */
@Service
@RetriedOnLockConflict
public class ActivateCertificate {

	private static final Logger log = LoggerFactory.getLogger(ActivateCertificate.class);

	private final ActivationCodes activations;

	private final CertificateRequests requests;

	private final Secrets secrets;

	private final CertificateChains chains;

	private final RequestIssuance issuance;

	private final RequestWorkflow workflow;

	private final CertFlowProperties properties;

	private final Clock clock;

	ActivateCertificate(ActivationCodes activations, CertificateRequests requests, Secrets secrets,
			CertificateChains chains, RequestIssuance issuance, RequestWorkflow workflow, CertFlowProperties properties,
			Clock clock) {
		this.activations = activations;
		this.requests = requests;
		this.secrets = secrets;
		this.chains = chains;
		this.issuance = issuance;
		this.workflow = workflow;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Checks that an activation link is usable, without consuming anything.
	 * @param code the activation code from the link
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public void open(String code) {
		usable(code);
	}

	/**
	 * Collects the certificate.
	 * @param code the activation code
	 * @param pin the PIN from the mail
	 * @return the chain in PEM, leaf first, root last
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public String activate(String code, String pin) {
		return collect(code, pin).chainPem();
	}

	/**
	 * Collects the certificate and says what was collected, for the success page.
	 * @param code the activation code
	 * @param pin the PIN from the mail
	 * @return the request, its key source and the chain in PEM, leaf first
	 */
	@Transactional(noRollbackFor = RequestException.class)
	public Collected collect(String code, String pin) {
		ActivationCode activation = usable(code);
		if (pin == null || pin.isBlank()) {
			throw new RequestException(Kind.INVALID, "pin is required: it is in your activation mail.");
		}
		Instant now = this.clock.instant();
		if (!this.secrets.pinMatches(pin.strip(), activation.getPinHash())) {
			int left = activation.wrongPin(this.properties.activation().maxPinAttempts(), now);
			log.warn("Wrong PIN for the activation of request {} ({} attempts left)", activation.getRequestId(), left);
			if (left == 0) {
				throw new RequestException(Kind.LOCKED,
						"The PIN is wrong. Too many wrong PINs: this activation is now locked. Ask your "
								+ "registration authority to send a new one.");
			}
			throw new RequestException(Kind.WRONG_SECRET,
					"The PIN is wrong. " + left + ((left == 1) ? " attempt" : " attempts") + " left.");
		}
		// The status move comes first: when it is refused (the request expired or was
		// revoked meanwhile) nothing has been written, and the code is not used up.
		this.issuance.collected(activation.getRequestId());
		activation.use(now);
		String chain = this.chains.chainPem(activation.getRequestId());
		this.workflow.certificateCollected(activation.getRequestId());
		log.info("Request {} collected", activation.getRequestId());
		KeySource keySource = this.requests.findById(activation.getRequestId())
			.map(CertificateRequest::getKeySource)
			.orElse(KeySource.CSR);
		return new Collected(activation.getRequestId(), keySource, chain);
	}

	/**
	 * Which certificate the applicant names before entering the PIN.
	 * @param code the activation code
	 * @return the request behind a usable code
	 */
	@Transactional(noRollbackFor = RequestException.class, readOnly = false)
	public CertificateRequest certificateFor(String code) {
		return this.requests.findById(usable(code).getRequestId()).orElseThrow();
	}

	/**
	 * A collected certificate.
	 *
	 * @param requestId the request
	 * @param keySource where its key pair was made, which decides how it is installed
	 * @param chainPem the chain in PEM, leaf first, root last
	 */
	public record Collected(String requestId, KeySource keySource, String chainPem) {
	}

	private ActivationCode usable(String code) {
		if (code == null || code.isBlank()) {
			throw new RequestException(Kind.INVALID,
					"activationCode is required: use the link from your activation mail.");
		}
		ActivationCode activation = this.activations.findByCodeHash(Secrets.hashToken(code.strip()))
			.orElseThrow(() -> new RequestException(Kind.NOT_FOUND,
					"This activation link is not valid. Check that you copied the whole link from the newest "
							+ "activation mail."));
		if (activation.isUsed()) {
			throw new RequestException(Kind.CONFLICT, "This certificate has already been collected with this code.");
		}
		if (activation.isLocked()) {
			throw new RequestException(Kind.LOCKED,
					"This activation is locked after too many wrong PINs. Ask your registration authority to "
							+ "send a new one.");
		}
		if (this.requests.findById(activation.getRequestId())
			.filter((request) -> request.getStatus() == RequestStatus.CANCELLED)
			.isPresent()) {
			throw new RequestException(Kind.GONE, "This certificate request was cancelled by your registration "
					+ "authority; its activation link no longer works.");
		}
		// The CA's registry decides, not the request's status: a certificate revoked
		// while
		// its request was still APPROVED left the request without a sign of it.
		Standing standing = this.chains.standing(activation.getRequestId()).orElse(null);
		boolean requestRevoked = this.requests.findById(activation.getRequestId())
			.map((request) -> request.getStatus() == RequestStatus.REVOKED)
			.orElse(false);
		if (standing == Standing.REVOKED || requestRevoked) {
			if (!requestRevoked) {
				// Committed although the call is refused (noRollbackFor), so the RA sees
				// it.
				this.issuance.certificateRevoked(activation.getRequestId());
			}
			throw new RequestException(Kind.GONE,
					"This certificate has been revoked and cannot be collected. Contact your registration authority.");
		}
		if (standing == Standing.ON_HOLD) {
			throw new RequestException(Kind.CONFLICT, "This certificate is suspended and cannot be collected now. "
					+ "Try again once your registration authority has lifted the suspension.");
		}
		if (activation.isExpiredAt(this.clock.instant())) {
			throw new RequestException(Kind.GONE,
					"This activation code has expired. Ask your registration authority for a new one.");
		}
		return activation;
	}

}
