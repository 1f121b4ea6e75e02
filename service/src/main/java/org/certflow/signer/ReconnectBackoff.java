package org.certflow.signer;

import java.util.List;

import org.camunda.bpm.client.backoff.ErrorAwareBackoffStrategy;
import org.camunda.bpm.client.exception.ExternalTaskClientException;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * No pause while the engine answers (a long poll that returns empty simply polls again),
 * and a growing pause, up to half a minute, while it cannot be reached: a signer waiting
 * out an RA outage neither spins nor floods the log.
 * <p>
 * The client asks its strategy once per fetch, on its own thread, after it has handed
 * every fetched task to the handler and before it fetches again: the one moment that
 * marks the end of a fetch. That is when the collected chunk is signed
 * ({@code endOfFetch}); the client offers no other hook for it.
 */
class ReconnectBackoff implements ErrorAwareBackoffStrategy {

	private static final long FIRST_MILLIS = 500;

	private static final long MAX_MILLIS = 30_000;

	private final Runnable endOfFetch;

	private long next;

	ReconnectBackoff(Runnable endOfFetch) {
		this.endOfFetch = endOfFetch;
	}

	@Override
	public void reconfigure(List<ExternalTask> externalTasks, ExternalTaskClientException error) {
		this.endOfFetch.run();
		this.next = (error == null) ? 0 : Math.min(MAX_MILLIS, Math.max(FIRST_MILLIS, this.next * 2));
	}

	@Override
	public long calculateBackoffTime() {
		return this.next;
	}

}
