package org.certflow.bench;

import java.time.Instant;

/**
 * One certificate request as the benchmark follows it. Client times come from this JVM's
 * clock, the issuance time from the service's record of the request (same machine, same
 * clock), so the pace of status reads never enters a figure.
 */
final class Tracked {

	private final String email = CertFlowClient.newMailbox();

	private volatile Instant startedAt;

	private volatile String requestId;

	private volatile String taskId;

	private volatile Instant approvedAt;

	private volatile Instant issuedAt;

	String email() {
		return this.email;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	void startedAt(Instant at) {
		this.startedAt = at;
	}

	String requestId() {
		return this.requestId;
	}

	void requestId(String id) {
		this.requestId = id;
	}

	String taskId() {
		return this.taskId;
	}

	void taskId(String id) {
		this.taskId = id;
	}

	Instant approvedAt() {
		return this.approvedAt;
	}

	void approvedAt(Instant at) {
		this.approvedAt = at;
	}

	Instant issuedAt() {
		return this.issuedAt;
	}

	void issuedAt(Instant at) {
		this.issuedAt = at;
	}

}
