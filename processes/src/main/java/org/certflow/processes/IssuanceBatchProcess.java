package org.certflow.processes;

/**
 * Contract of {@code issuance-batch.bpmn}: one instance per issuance run, business key =
 * the run id. The run releases the approved requests of the classes that issue in batches
 * ({@link CertificateRequestProcess.Message#ISSUANCE_RELEASED}); the signer signs them.
 */
public final class IssuanceBatchProcess {

	/** Process definition key. */
	public static final String KEY = "IssuanceBatchProcess";

	/** Classpath resource of the model. */
	public static final String BPMN_RESOURCE = "issuance-batch.bpmn";

	/**
	 * The retry intervals of a chunk's release: first after a second (a deadlock loser
	 * goes through when run again), then for about forty minutes.
	 */
	public static final String RELEASE_RETRY_INTERVALS = "PT1S,PT15S,PT1M,PT5M,PT5M,PT5M,PT5M,PT5M,PT5M,PT5M";

	/**
	 * Message that starts a run at once ("Issue now"); its business key is the run id.
	 */
	public static final String MESSAGE_RUN_REQUESTED = "IssuanceRunRequested";

	private IssuanceBatchProcess() {
	}

	/** Element ids. */
	public static final class Element {

		public static final String START_SCHEDULED = "StartEvent_Scheduled";

		public static final String START_ISSUE_NOW = "StartEvent_IssueNow";

		public static final String OPEN_RUN = "Task_OpenRun";

		public static final String RELEASE_CHUNK = "Task_ReleaseChunk";

		public static final String GATEWAY_MORE_TO_RELEASE = "Gateway_MoreToRelease";

		public static final String END_ALL_RELEASED = "EndEvent_AllReleased";

		private Element() {
		}

	}

	/** Beans the model calls by name. */
	public static final class Bean {

		/** Holds the schedule: {@code ${issuanceSchedule.cron}}. */
		public static final String SCHEDULE = "issuanceSchedule";

		public static final String OPEN_RUN = "openIssuanceRunDelegate";

		public static final String RELEASE_CHUNK = "releaseIssuanceChunkDelegate";

		/** Answers the loop gateway: {@code ${issuanceRuns.moreToRelease(runId)}}. */
		public static final String RUNS = "issuanceRuns";

		private Bean() {
		}

	}

}
