package org.certflow.processes;

/**
 * Contract of {@code expiry-notice.bpmn}: a daily timer mails holders of certificates
 * that expire soon, a weekly one mails RA admins what expires. Each run is one instance
 * without a business key.
 */
public final class ExpiryNoticeProcess {

	/** Process definition key. */
	public static final String KEY = "ExpiryNoticeProcess";

	/** Classpath resource of the model. */
	public static final String BPMN_RESOURCE = "expiry-notice.bpmn";

	/**
	 * The retry intervals of both steps: a deadlock loser at once, an outage for hours.
	 */
	public static final String RETRY_INTERVALS = "PT1S,PT15S,PT1M,PT5M,PT30M,PT1H,PT1H";

	private ExpiryNoticeProcess() {
	}

	/** Element ids. */
	public static final class Element {

		public static final String START_DAILY = "StartEvent_Daily";

		public static final String SEND_NOTICES = "Task_SendExpiryNotices";

		public static final String END_NOTICES_SENT = "EndEvent_NoticesSent";

		public static final String GATEWAY_DIGEST_DAY = "Gateway_DigestDay";

		public static final String SEND_DIGEST = "Task_SendExpiryDigest";

		public static final String END_DIGEST_SENT = "EndEvent_DigestSent";

		private Element() {
		}

	}

	/** Beans the model calls by name. */
	public static final class Bean {

		/** Sends the notices due now. */
		public static final String SEND_NOTICES = "sendExpiryNoticesDelegate";

		/** Sends RA admins the weekly list. */
		public static final String SEND_DIGEST = "sendExpiryDigestDelegate";

		/** Answers the gateway: {@code ${expiryCalendar.isDigestDay()}}. */
		public static final String CALENDAR = "expiryCalendar";

		private Bean() {
		}

	}

}
