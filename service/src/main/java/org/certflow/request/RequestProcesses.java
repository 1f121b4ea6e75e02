package org.certflow.request;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Out-port: what the process engine knows about requests that the RA console shows beside
 * our own records (open incidents, the instance behind a request), so that use cases
 * never see engine types.
 */
public interface RequestProcesses {

	/**
	 * @param max the most incidents to return
	 * @return open incidents, newest first
	 */
	List<Incident> openIncidents(int max);

	/**
	 * @param requestIds request ids (business keys)
	 * @return the running process instance id of each request that has one
	 */
	Map<String, String> runningInstances(Collection<String> requestIds);

	/**
	 * An open incident: a step that failed and waits for someone.
	 *
	 * @param processInstanceId the instance it stopped
	 * @param requestId the request (business key), or null for an instance without one
	 * @param activityId the step that failed
	 * @param message the engine's message
	 * @param since when it happened
	 */
	record Incident(String processInstanceId, String requestId, String activityId, String message, Instant since) {
	}

}
