package org.certflow.workflow;

import java.util.Date;
import java.util.Map;

import org.certflow.delivery.ActivationDeadline;
import org.certflow.processes.CertificateRequestProcess.Bean;
import org.certflow.processes.RequestRouting;
import org.certflow.request.ApplyApprovalPolicy;
import org.certflow.request.GenerateServerKey;
import org.certflow.request.RouteRequest;

import org.springframework.stereotype.Component;

/** The model's gateways and timers, answered from our records (one line each). */
@Component(Bean.REQUEST_ROUTING)
class RecordedRouting implements RequestRouting {

	private final RouteRequest route;

	private final ActivationDeadline activation;

	private final ApplyApprovalPolicy policy;

	private final GenerateServerKey serverKey;

	RecordedRouting(RouteRequest route, ActivationDeadline activation, ApplyApprovalPolicy policy,
			GenerateServerKey serverKey) {
		this.serverKey = serverKey;
		this.route = route;
		this.activation = activation;
		this.policy = policy;
	}

	@Override
	public Map<String, Object> policyFacts(String requestId) {
		return this.policy.facts(requestId);
	}

	@Override
	public String approvalRoute(String requestId) {
		return this.policy.route(requestId);
	}

	@Override
	public boolean issuesImmediately(String requestId) {
		return this.route.issuesImmediately(requestId);
	}

	@Override
	public String decision(String requestId) {
		return this.route.decision(requestId);
	}

	@Override
	public Date invitationExpiresAt(String requestId) {
		return Date.from(this.route.invitationExpiresAt(requestId));
	}

	@Override
	public Date activationExpiresAt(String requestId) {
		return Date.from(this.activation.expiresAt(requestId));
	}

	@Override
	public Date deferredUntil(String requestId) {
		return Date.from(this.route.deferredUntil(requestId));
	}

	@Override
	public Date escalatesAt(String requestId) {
		return Date.from(this.route.escalatesAt(requestId));
	}

	@Override
	public boolean keyMadeByServer(String requestId) {
		return this.serverKey.keyMadeByServer(requestId);
	}

}
