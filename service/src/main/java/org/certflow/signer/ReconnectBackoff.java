package org.certflow.signer;

import java.util.List;

import org.camunda.bpm.client.exception.ExternalTaskClientException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.backoff.ErrorAwareBackoffStrategy;

/**
 * No pause while the engine answers (a long poll that returns empty simply polls again),
 * and a growing pause, up to half a minute, while it cannot be reached: a signer waiting
 * out an RA outage neither spins nor floods the log.
 */
class ReconnectBackoff implements ErrorAwareBackoffStrategy {

	private static final long FIRST_MILLIS = 500;

	private static final long MAX_MILLIS = 30_000;

	private long next;

	@Override
	public void reconfigure(List<ExternalTask> externalTasks, ExternalTaskClientException error) {
		this.next = (error == null) ? 0 : Math.min(MAX_MILLIS, Math.max(FIRST_MILLIS, this.next * 2));
	}

	@Override
	public long calculateBackoffTime() {
		return this.next;
	}

}
