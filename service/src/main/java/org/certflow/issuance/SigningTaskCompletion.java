package org.certflow.issuance;

import java.util.List;

/**
 * Out-port for the signer's chunks: completes, in one engine transaction, the signing
 * tasks of a chunk whose certificates the CA's journal already holds. Only tasks of the
 * signing topic that are locked, right now, by the worker asking are completed; any other
 * is refused and left as it is (its lock expires, or it was handled meanwhile).
 */
public interface SigningTaskCompletion {

	/**
	 * Completes the tasks the worker holds. Ending each signing step records its
	 * certificate on the request from the journal, as a single completion does.
	 * @param workerId the worker that locked the tasks
	 * @param taskIds the external task ids, each at most once
	 * @return which were completed and which were refused, and why
	 */
	Completion complete(String workerId, List<String> taskIds);

	/**
	 * What became of a chunk's tasks.
	 *
	 * @param completed the tasks completed
	 * @param refused the tasks left as they were, each with a reason
	 */
	record Completion(List<String> completed, List<Refusal> refused) {

		public Completion {
			completed = List.copyOf(completed);
			refused = List.copyOf(refused);
		}

	}

	/**
	 * A task that was not completed.
	 *
	 * @param taskId the external task id
	 * @param reason why, for the signer's log
	 */
	record Refusal(String taskId, String reason) {
	}

}
