package org.certflow.ca;

import java.util.Objects;

/**
 * Subject data validated by the RA. The CA builds the subject DN attribute by attribute
 * from these values and the SAN rfc822Name from {@code emailAddress}; for a TLS server
 * (see {@link #host}) the subject CN and the SAN dNSName from {@code hostName}.
 *
 * @param commonName the subscriber's full name, or the host name of a server
 * @param emailAddress the validated mailbox; {@code null} for a server
 * @param organization optional organisation name, or {@code null}
 * @param country optional ISO 3166 two-letter country code, or {@code null}
 * @param hostName the server's DNS host name; {@code null} for a person
 */
public record SubjectData(String commonName, String emailAddress, String organization, String country,
		String hostName) {

	public SubjectData {
		Objects.requireNonNull(commonName, "commonName");
		if ((emailAddress == null) == (hostName == null)) {
			throw new IllegalArgumentException("subject data names either a mailbox or a host name");
		}
	}

	/**
	 * A person's subject data.
	 * @param commonName the subscriber's full name
	 * @param emailAddress the validated mailbox
	 * @param organization optional organisation name, or {@code null}
	 * @param country optional ISO 3166 two-letter country code, or {@code null}
	 */
	public SubjectData(String commonName, String emailAddress, String organization, String country) {
		this(commonName, Objects.requireNonNull(emailAddress, "emailAddress"), organization, country, null);
	}

	/**
	 * A TLS server's subject data: CN and the single dNSName are the host name.
	 * @param hostName the DNS host name, such as {@code localhost}
	 * @return the subject data
	 */
	public static SubjectData host(String hostName) {
		return new SubjectData(Objects.requireNonNull(hostName, "hostName"), null, null, null, hostName);
	}

	/**
	 * Who the certificate is for, as the CA's journal records it: the mailbox, or the
	 * host name of a server.
	 * @return the subscriber
	 */
	public String subscriber() {
		return (this.hostName != null) ? this.hostName : this.emailAddress;
	}

	/**
	 * Checks that the CA would build a subject and SAN from this data, with the same
	 * rules it applies when it signs, so that the RA can refuse bad data where it enters.
	 * @throws IssuanceRefusedException (BAD_SUBJECT) saying what is wrong
	 */
	public void check() {
		SubjectRules.subjectOf(this);
	}

	/**
	 * The subject DN the CA will sign, in RFC 4514 text for people to read (an officer's
	 * task, a log line). It is built the way the CA builds it, so special characters are
	 * escaped exactly as in the certificate; never parse it back into a name.
	 * @return the DN, for example {@code CN=\#Alice}
	 * @throws IssuanceRefusedException (BAD_SUBJECT) when the CA would refuse the data
	 */
	public String distinguishedName() {
		return SubjectRules.subjectOf(this).toString();
	}

	public static SubjectData of(String commonName, String emailAddress) {
		return new SubjectData(commonName, emailAddress, null, null);
	}

}
