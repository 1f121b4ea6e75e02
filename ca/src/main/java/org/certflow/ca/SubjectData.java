package org.certflow.ca;

import java.util.Objects;

/**
 * Subject data validated by the RA. The CA builds the subject DN attribute by attribute
 * from these values and the SAN rfc822Name from {@code emailAddress}.
 *
 * @param commonName the subscriber's full name
 * @param emailAddress the validated mailbox
 * @param organization optional organisation name, or {@code null}
 * @param country optional ISO 3166 two-letter country code, or {@code null}
 */
public record SubjectData(String commonName, String emailAddress, String organization, String country) {

	public SubjectData {
		Objects.requireNonNull(commonName, "commonName");
		Objects.requireNonNull(emailAddress, "emailAddress");
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
