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

}
