package org.certflow.request;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.certflow.CertFlowProperties;
import org.certflow.processes.CertificateRequestProcess.ApprovalRoute;
import org.certflow.processes.CertificateRequestProcess.Decision;
import org.certflow.processes.CertificateRequestProcess.PolicyFact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: the approval policy. The table itself (approval-policy.dmn) belongs to the
 * process designer; this use case gives it its facts, all from our records and the class
 * settings copied onto the request at submission, and records and carries out what it
 * decided. The model routes on the recorded route, never on a variable.
 */
@Service
public class ApplyApprovalPolicy {

	private static final Logger log = LoggerFactory.getLogger(ApplyApprovalPolicy.class);

	private final CertificateRequests requests;

	private final CertificateClasses classes;

	private final RequestEvents events;

	private final ApplicantMail mail;

	private final CertFlowProperties properties;

	private final Clock clock;

	ApplyApprovalPolicy(CertificateRequests requests, CertificateClasses classes, RequestEvents events,
			ApplicantMail mail, CertFlowProperties properties, Clock clock) {
		this.requests = requests;
		this.classes = classes;
		this.events = events;
		this.mail = mail;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @param requestId a submitted request
	 * @return the table's inputs, named as {@link PolicyFact} says
	 */
	@Transactional(readOnly = true)
	public Map<String, Object> facts(String requestId) {
		CertificateRequest request = find(requestId);
		// Requests submitted before snapshots existed read their class as it is now.
		CertificateClass current = (request.getClassPhoneRequired() == null)
				? this.classes.findById(request.getCertificateClass()).orElseThrow() : null;
		String allowedDomains = (current != null) ? current.getAllowedDomains() : request.getClassAllowedDomains();
		boolean phoneRequired = (current != null) ? current.isPhoneRequired() : request.getClassPhoneRequired();
		boolean pinRequired = (current != null) ? current.isPinRequired() : request.getClassPinRequired();
		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put(PolicyFact.CERTIFICATE_CLASS, request.getCertificateClass());
		facts.put(PolicyFact.DOMAIN_ALLOWED, domainAllowed(request.getEmail(), allowedDomains));
		facts.put(PolicyFact.PHONE_GIVEN, request.getPhone() != null && !request.getPhone().isBlank());
		facts.put(PolicyFact.PHONE_REQUIRED, phoneRequired);
		// No channel gives a PIN before issuance yet (the activation PIN is made at
		// issuance), so no PIN is ever verified at this point: a class that requires one
		// gets what the table says for an unverified PIN.
		facts.put(PolicyFact.PIN_VERIFIED, false);
		facts.put(PolicyFact.PIN_REQUIRED, pinRequired);
		return facts;
	}

	/**
	 * Whether a mailbox's domain is exactly one of the listed domains. Subdomains do not
	 * count: {@code a@mail.example.org} is not on a list naming {@code example.org}.
	 * @param email the mailbox
	 * @param allowedDomains comma-separated domains, or {@code null}
	 * @return whether the domain is listed
	 */
	static boolean domainAllowed(String email, String allowedDomains) {
		if (email == null || allowedDomains == null || email.lastIndexOf('@') < 0) {
			return false;
		}
		String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
		return Arrays.stream(allowedDomains.split(","))
			.map((listed) -> listed.strip().toLowerCase(Locale.ROOT))
			.anyMatch((listed) -> !listed.isEmpty() && listed.equals(domain));
	}

	/**
	 * Records the table's result and carries it out: an automatic approval, rejection or
	 * deferral is a decision by {@link RequestEvents#POLICY}, with its reason on the
	 * timeline; a deferral is mailed to the applicant.
	 * @param requestId the request
	 * @param routeValue the table's route, or {@code null} when no rule matched
	 * @param reasonValue the table's reason, or {@code null}
	 * @return the route recorded
	 */
	@Transactional
	public ApprovalRoute routed(String requestId, Object routeValue, Object reasonValue) {
		CertificateRequest request = find(requestId);
		Instant now = this.clock.instant();
		ApprovalRoute route = route(routeValue);
		String reason = (reasonValue != null && !reasonValue.toString().isBlank()) ? reasonValue.toString().strip()
				: null;
		if (route == null) {
			// A table a designer changed may match nothing or name a route we do not
			// know: an officer decides then, never nobody.
			route = ApprovalRoute.MANUAL;
			reason = "The approval policy gave no known route (" + routeValue + "); a validation officer decides.";
		}
		String why = (reason != null) ? reason : "No reason given by the approval policy.";
		request.routed(route.name(), now);
		this.events.record(requestId, RequestEventKind.ROUTED, RequestEvents.POLICY, route.name() + ": " + why);
		switch (route) {
			case AUTO_APPROVE -> {
				request.decided(Decision.APPROVE.value(), why, RequestEvents.POLICY, RequestStatus.APPROVED, null, now);
				this.events.record(requestId, RequestEventKind.APPROVED, RequestEvents.POLICY, why);
			}
			case AUTO_REJECT -> {
				request.decided(Decision.REJECT.value(), why, RequestEvents.POLICY, RequestStatus.REJECTED, null, now);
				this.events.record(requestId, RequestEventKind.REJECTED, RequestEvents.POLICY, why);
			}
			case DEFER -> {
				Instant until = now.plus(this.properties.validation().deferral());
				request.decided(Decision.DEFER.value(), why, RequestEvents.POLICY, RequestStatus.DEFERRED, until, now);
				this.events.record(requestId, RequestEventKind.DEFERRED, RequestEvents.POLICY,
						"until " + until + ": " + why);
				this.mail.sendDeferral(request, until);
			}
			case MANUAL, DUAL_CONTROL -> {
				// The officers' task records its own decisions.
			}
		}
		log.info("Request {} routed {} by the approval policy", requestId, route);
		return route;
	}

	/**
	 * @param requestId a routed request
	 * @return the recorded route; MANUAL for a request that reached the officers before
	 * the policy existed (moved onto the newer model while waiting)
	 */
	@Transactional(readOnly = true)
	public String route(String requestId) {
		String route = find(requestId).getApprovalRoute();
		return (route != null) ? route : ApprovalRoute.MANUAL.name();
	}

	private static ApprovalRoute route(Object value) {
		if (value == null) {
			return null;
		}
		try {
			return ApprovalRoute.valueOf(value.toString().strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private CertificateRequest find(String requestId) {
		return this.requests.findById(requestId)
			.orElseThrow(() -> new IllegalStateException("No request " + requestId));
	}

}
