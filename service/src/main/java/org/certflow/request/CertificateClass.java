package org.certflow.request;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A certificate class: which issuance profile it uses and whether approval issues at
 * once.
 */
@Entity
@Table(name = "certificate_class")
public class CertificateClass {

	@Id
	@Column(name = "name", length = 64)
	private String name;

	@Column(name = "display_name", nullable = false, length = 200)
	private String displayName;

	@Column(name = "issuance_profile", nullable = false, length = 64)
	private String issuanceProfile;

	@Column(name = "issue_immediately", nullable = false)
	private boolean issueImmediately;

	@Column(name = "description", length = 1000)
	private String description;

	@Column(name = "allowed_domains", length = 2000)
	private String allowedDomains;

	@Column(name = "phone_required", nullable = false)
	private boolean phoneRequired;

	@Column(name = "pin_required", nullable = false)
	private boolean pinRequired;

	@Column(name = "key_sources", nullable = false, length = 64)
	private String keySources = "BROWSER,CSR";

	@Column(name = "key_algorithms", nullable = false, length = 128)
	private String keyAlgorithms = "RSA-2048,RSA-3072,EC-P256";

	@Column(name = "validity_days", nullable = false)
	private int validityDays = 365;

	@Column(name = "distribution_methods", nullable = false, length = 128)
	private String distributionMethods = "WEB_PICKUP";

	@Column(name = "default_distribution", nullable = false, length = 16)
	private String defaultDistribution = "WEB_PICKUP";

	@Column(name = "billing_code", length = 64)
	private String billingCode;

	@Column(name = "escalation_after", length = 32)
	private String escalationAfter;

	@Column(name = "retired_at")
	private java.time.Instant retiredAt;

	@jakarta.persistence.Version
	@Column(name = "version", nullable = false)
	private long version;

	protected CertificateClass() {
	}

	public CertificateClass(String name, String displayName, String issuanceProfile, boolean issueImmediately) {
		this.name = name;
		this.displayName = displayName;
		this.issuanceProfile = issuanceProfile;
		this.issueImmediately = issueImmediately;
	}

	public String getName() {
		return this.name;
	}

	public String getDisplayName() {
		return this.displayName;
	}

	public String getIssuanceProfile() {
		return this.issuanceProfile;
	}

	public boolean isIssueImmediately() {
		return this.issueImmediately;
	}

	public String getDescription() {
		return this.description;
	}

	/**
	 * @return mailbox domains the policy may approve alone, comma-separated, or null
	 */
	public String getAllowedDomains() {
		return this.allowedDomains;
	}

	public boolean isPhoneRequired() {
		return this.phoneRequired;
	}

	public boolean isPinRequired() {
		return this.pinRequired;
	}

	public String getKeySources() {
		return this.keySources;
	}

	public String getKeyAlgorithms() {
		return this.keyAlgorithms;
	}

	public int getValidityDays() {
		return this.validityDays;
	}

	public String getDistributionMethods() {
		return this.distributionMethods;
	}

	public String getDefaultDistribution() {
		return this.defaultDistribution;
	}

	public String getBillingCode() {
		return this.billingCode;
	}

	/**
	 * @return ISO-8601 duration after which an undecided task escalates, or null
	 */
	public String getEscalationAfter() {
		return this.escalationAfter;
	}

	public java.time.Instant getRetiredAt() {
		return this.retiredAt;
	}

	public long getVersion() {
		return this.version;
	}

}
