package org.certflow.processes;

import java.util.Set;

/**
 * Contract of {@code certificate-request.bpmn}: one instance per certificate, business
 * key = the request id. Code and tests use these constants, never string literals, so
 * that renaming an element in the Modeler breaks the build instead of a running request.
 */
public final class CertificateRequestProcess {

	/** Process definition key. */
	public static final String KEY = "CertificateRequestProcess";

	/** Classpath resource of the model. */
	public static final String BPMN_RESOURCE = "certificate-request.bpmn";

	/**
	 * The retry intervals of every asynchronous step. The first comes after a second: the
	 * most common failure is a transaction the database rolled back to break a deadlock,
	 * which goes through at once when run again. The later ones wait out an outage.
	 */
	public static final String JOB_RETRY_INTERVALS = "PT1S,PT15S,PT1M,PT2M,PT5M";

	/**
	 * The retry intervals of {@link Element#PUBLISH_CERTIFICATE}: a directory is another
	 * team's server, down for maintenance or an outage of hours, so the job keeps trying
	 * for over five hours before it becomes an incident. Nobody waits on it: the
	 * applicant collects on the other branch meanwhile.
	 */
	public static final String PUBLISH_RETRY_INTERVALS = "PT1M,PT5M,PT15M,PT1H,PT1H,PT1H,PT1H,PT1H";

	/** Approval policy table, deployed beside the model. */
	public static final String DMN_RESOURCE = "approval-policy.dmn";

	/** Decision id of the approval policy table. */
	public static final String APPROVAL_POLICY = "approval-policy";

	/** Officer form, deployed beside the model. */
	public static final String VALIDATION_FORM_RESOURCE = "validate-application.form";

	/** Candidate group of {@link Element#VALIDATE_APPLICATION}. */
	public static final String OFFICER_GROUP = "validation-officers";

	/**
	 * Candidate group a validation task is escalated to when it stays undecided for its
	 * class's escalation time.
	 */
	public static final String SUPERVISOR_GROUP = "ra-supervisors";

	/** External task topic served by the signer. */
	public static final String TOPIC_SIGN_CERTIFICATE = "ca-sign-certificate";

	/** BPMN error code the signer throws when the CA refuses the request. */
	public static final String ERROR_ISSUANCE_REFUSED = "ISSUANCE_REFUSED";

	private CertificateRequestProcess() {
	}

	/** Element ids. */
	public static final class Element {

		public static final String START = "StartEvent_RequestCreated";

		/**
		 * Message start: an RA admin entered the request on the applicant's behalf; no
		 * invitation.
		 */
		public static final String START_ON_BEHALF = "StartEvent_RequestEnteredOnBehalf";

		/** Interrupting event subprocess: an RA admin cancelled the request. */
		public static final String CANCELLATION = "SubProcess_Cancellation";

		public static final String CANCELLED = "StartEvent_RequestCancelled";

		public static final String END_CANCELLED = "EndEvent_RequestCancelled";

		public static final String SEND_INVITATION = "Task_SendInvitation";

		public static final String AWAIT_APPLICATION = "Task_AwaitApplication";

		public static final String INVITATION_EXPIRED = "Timer_InvitationExpired";

		public static final String EXPIRE_INVITATION = "Task_ExpireInvitation";

		public static final String END_INVITATION_EXPIRED = "EndEvent_InvitationExpired";

		public static final String CHECK_REQUEST = "Task_CheckRequest";

		public static final String GATEWAY_REQUEST_ACCEPTABLE = "Gateway_RequestAcceptable";

		public static final String APPLY_APPROVAL_POLICY = "Task_ApplyApprovalPolicy";

		public static final String GATEWAY_APPROVAL_ROUTE = "Gateway_ApprovalRoute";

		public static final String VALIDATE_APPLICATION = "Task_ValidateApplication";

		public static final String GATEWAY_DUAL_CONTROL = "Gateway_DualControl";

		public static final String SECOND_APPROVAL = "Task_SecondApproval";

		public static final String GATEWAY_SECOND_DECISION = "Gateway_SecondDecision";

		public static final String GATEWAY_DECISION = "Gateway_ValidationDecision";

		/**
		 * Non-interrupting timer on {@link #VALIDATE_APPLICATION}: the task stays open
		 * and gains the supervisors as candidates.
		 */
		public static final String VALIDATION_ESCALATED = "Timer_ValidationEscalated";

		public static final String ESCALATE_VALIDATION = "Task_EscalateValidation";

		/** The same escalation for the second approval under dual control. */
		public static final String SECOND_APPROVAL_ESCALATED = "Timer_SecondApprovalEscalated";

		public static final String END_ESCALATED = "EndEvent_ValidationEscalated";

		public static final String DEFERRAL_ELAPSED = "Event_DeferralElapsed";

		public static final String GATEWAY_ISSUE_IMMEDIATELY = "Gateway_IssueImmediately";

		public static final String AWAIT_ISSUANCE_RELEASE = "Event_IssuanceReleased";

		/**
		 * Before signing: does the server make this request's key pair (key source
		 * SERVER)? Asks {@link RequestRouting#keyMadeByServer(String)}.
		 */
		public static final String GATEWAY_KEY_MADE_BY_SERVER = "Gateway_KeyMadeByServer";

		/**
		 * The RA makes the key pair and its CSR, and keeps the private key sealed for the
		 * applicant (asynchronous, so a failure retries without repeating the approval).
		 */
		public static final String GENERATE_KEY_PAIR = "Task_GenerateKeyPair";

		public static final String SIGN_CERTIFICATE = "Task_SignCertificate";

		public static final String ISSUANCE_REFUSED = "Event_IssuanceRefused";

		/**
		 * Writes the billing event of the issuance (when the billing module is on) in the
		 * transaction that ends the signing step; an outbox sends it to the billing
		 * system.
		 */
		public static final String RECORD_BILLING = "Task_RecordBilling";

		/**
		 * Parallel split after signing: the activation branch and the publishing branch
		 * run independently, so that collection never waits for the directory.
		 */
		public static final String GATEWAY_CERTIFICATE_ISSUED = "Gateway_CertificateIssued";

		/**
		 * Writes the certificate to the holder's entry in the certificate directory
		 * (LDAP); asynchronous with
		 * {@link CertificateRequestProcess#PUBLISH_RETRY_INTERVALS}, an outage ends in an
		 * incident.
		 */
		public static final String PUBLISH_CERTIFICATE = "Task_PublishCertificate";

		public static final String END_PUBLISHED = "EndEvent_CertificatePublished";

		public static final String SEND_ACTIVATION = "Task_SendActivation";

		public static final String AWAIT_COLLECTION = "Task_AwaitCollection";

		public static final String ACTIVATION_EXPIRED = "Timer_ActivationExpired";

		public static final String EXPIRE_ACTIVATION = "Task_ExpireActivation";

		public static final String END_ACTIVATION_EXPIRED = "EndEvent_ActivationExpired";

		public static final String END_DELIVERED = "EndEvent_CertificateDelivered";

		public static final String SEND_REJECTION = "Task_SendRejection";

		public static final String END_REJECTED = "EndEvent_RequestRejected";

		private Element() {
		}

	}

	/** Message names (what code correlates), not the ids of the message definitions. */
	public static final class Message {

		public static final String APPLICATION_SUBMITTED = "ApplicationSubmitted";

		public static final String ISSUANCE_RELEASED = "IssuanceReleased";

		public static final String CERTIFICATE_COLLECTED = "CertificateCollected";

		/** Starts an instance for a request entered on the applicant's behalf. */
		public static final String REQUEST_ENTERED_ON_BEHALF = "RequestEnteredOnBehalf";

		/** Ends an instance wherever it waits: an RA admin cancelled the request. */
		public static final String REQUEST_CANCELLED = "RequestCancelled";

		private Message() {
		}

	}

	/** Process variables. */
	public static final class Variable {

		/** String: the request id, equal to the business key. */
		public static final String REQUEST_ID = "requestId";

		/** String: certificate class (issuance profile). */
		public static final String CERTIFICATE_CLASS = "certificateClass";

		/** String: the applicant's validated mailbox. */
		public static final String APPLICANT_EMAIL = "applicantEmail";

		/** String: the applicant's full name. */
		public static final String APPLICANT_FULL_NAME = "applicantFullName";

		/**
		 * Boolean, set by {@link Element#CHECK_REQUEST} and read by the gateway right
		 * after it, in the same transaction.
		 */
		public static final String REQUEST_ACCEPTABLE = "requestAcceptable";

		/**
		 * String: approve, reject or defer (see {@link Decision}), as the officer sent
		 * it. The model routes on the decision recorded with the request, never on this
		 * variable.
		 */
		public static final String DECISION = "decision";

		/**
		 * String: the officer's reason, the reason of an automatic rejection, or the CA's
		 * refusal (the error message of
		 * {@link CertificateRequestProcess#ERROR_ISSUANCE_REFUSED}, mapped by the model).
		 */
		public static final String DECISION_REASON = "decisionReason";

		/**
		 * String, optional, ISO date (2026-12-31): the day an officer chose for a
		 * deferred application to come back; without it the configured deferral applies.
		 */
		public static final String DEFER_UNTIL = "deferUntil";

		/**
		 * String, shown read-only to the officer: every earlier decision on the request
		 * (who, when, why), set as a task-local variable when the task is created.
		 */
		public static final String EARLIER_DECISIONS = "earlierDecisions";

		/**
		 * String, shown read-only to the officer: the phone number and organisation the
		 * applicant (or the RA admin on their behalf) gave, set as a task-local variable
		 * when the task is created, so that an officer can call back before approving.
		 */
		public static final String APPLICANT_CONTACT = "applicantContact";

		/**
		 * Local to {@link Element#APPLY_APPROVAL_POLICY}: the table's result (a map with
		 * {@link PolicyFact#ROUTE} and {@link PolicyFact#REASON}). Declared as a local
		 * input of the task so that it never becomes a process variable; the routing is
		 * read from the record made when the task ends.
		 */
		public static final String POLICY_RESULT = "policyResult";

		/** String, shown to the officer: the subject DN that will be signed. */
		public static final String SUBJECT_DN = "subjectDn";

		/**
		 * String, shown to the officer: the subject the CSR asked for, which is never
		 * copied into the certificate but may tell the officer something.
		 */
		public static final String REQUESTED_SUBJECT = "requestedSubject";

		/** String, shown to the officer: key type and size, such as "RSA 2048". */
		public static final String KEY_DESCRIPTION = "keyDescription";

		/** String, shown to the officer: SHA-256 of the public key (hex). */
		public static final String PUBLIC_KEY_SHA256 = "publicKeySha256";

		/** String, for Cockpit: the RA admin who cancelled the request. */
		public static final String CANCELLED_BY = "cancelledBy";

		/** String, for Cockpit: why the request was cancelled. */
		public static final String CANCELLATION_REASON = "cancellationReason";

		/**
		 * The only variables an officer sends when completing
		 * {@link Element#VALIDATE_APPLICATION}; a completion with any other is refused.
		 * Everything else the officer sees is read-only.
		 */
		public static final Set<String> OFFICER_DECISION = Set.of(DECISION, DECISION_REASON, DEFER_UNTIL);

		private Variable() {
		}

	}

	/** Spring bean names the model binds with {@code ${...}}. */
	public static final class Bean {

		public static final String SEND_INVITATION = "sendInvitationDelegate";

		public static final String CHECK_REQUEST = "checkRequestDelegate";

		public static final String VALIDATION_TASK_LISTENER = "validationTaskListener";

		/**
		 * Execution listener at the end of {@link Element#APPLY_APPROVAL_POLICY}: records
		 * the table's route and reason with the request (and acts on it: approval,
		 * rejection reason, deferral and its mail), so the gateway after it reads the
		 * record.
		 */
		public static final String RECORD_APPROVAL_ROUTE = "recordApprovalRouteListener";

		public static final String SEND_ACTIVATION = "sendActivationDelegate";

		/** {@link Element#RECORD_BILLING}. */
		public static final String RECORD_BILLING = "recordBillingDelegate";

		/** {@link Element#GENERATE_KEY_PAIR}: makes the key pair of a SERVER request. */
		public static final String GENERATE_KEY_PAIR = "generateKeyPairDelegate";

		public static final String SEND_REJECTION = "sendRejectionDelegate";

		/** {@link Element#PUBLISH_CERTIFICATE}: publishes the request's certificate. */
		public static final String PUBLISH_CERTIFICATE = "publishCertificateDelegate";

		public static final String EXPIRE_REQUEST = "expireRequestDelegate";

		/**
		 * Adds the supervisors to the request's open validation task and flags the
		 * request as escalated.
		 */
		public static final String ESCALATE_VALIDATION = "escalateValidationDelegate";

		/**
		 * Execution listener at the end of {@link Element#SIGN_CERTIFICATE}: records the
		 * certificate the signer stored for the request (the signer sends no variables);
		 * does nothing when the step ends without one (refused, cancelled).
		 */
		public static final String RECORD_ISSUANCE = "recordIssuanceListener";

		/**
		 * A {@link RequestRouting}: gateways and timers ask it instead of reading
		 * variables.
		 */
		public static final String REQUEST_ROUTING = "requestRouting";

		private Bean() {
		}

	}

	/**
	 * Inputs and outputs of the {@link #APPROVAL_POLICY} table. The inputs are local
	 * variables of {@link Element#APPLY_APPROVAL_POLICY}, filled from our records by
	 * {@link RequestRouting#policyFacts(String)}; a designer's table may use any of them.
	 */
	public static final class PolicyFact {

		/** String: the certificate class name as snapshotted at submission. */
		public static final String CERTIFICATE_CLASS = "policyClass";

		/** Boolean: the mailbox domain is on the class's allowed domains. */
		public static final String DOMAIN_ALLOWED = "domainAllowed";

		/** Boolean: the applicant gave a phone number. */
		public static final String PHONE_GIVEN = "phoneGiven";

		/** Boolean: the class requires a phone number. */
		public static final String PHONE_REQUIRED = "phoneRequired";

		/** Boolean: a PIN was given and verified. */
		public static final String PIN_VERIFIED = "pinVerified";

		/** Boolean: the class requires a verified PIN. */
		public static final String PIN_REQUIRED = "pinRequired";

		/** Output, String: one of {@link ApprovalRoute}. */
		public static final String ROUTE = "route";

		/** Output, String: why, for the request's timeline. */
		public static final String REASON = "reason";

		private PolicyFact() {
		}

	}

	/** What the approval policy decides. */
	public enum ApprovalRoute {

		AUTO_APPROVE, MANUAL, DUAL_CONTROL, AUTO_REJECT, DEFER

	}

	/** The officer's decision, as the form and the engine REST API send it. */
	public enum Decision {

		APPROVE("approve"), REJECT("reject"), DEFER("defer");

		private final String value;

		Decision(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

		/**
		 * Reads a decision sent by a form or an API client.
		 * @param value the variable value
		 * @return the decision
		 * @throws IllegalArgumentException when the value is not a known decision
		 */
		public static Decision of(Object value) {
			for (Decision decision : values()) {
				if (decision.value.equals(value)) {
					return decision;
				}
			}
			throw new IllegalArgumentException(
					"decision must be one of approve, reject or defer, but was '" + value + "'");
		}

	}

}
