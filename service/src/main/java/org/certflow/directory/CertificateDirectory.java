package org.certflow.directory;

/**
 * Out-port: the certificate directory (LDAP) where mail clients and relying parties look
 * up a colleague's certificate, the CA certificates and the CRL. Every operation is
 * idempotent, so that a retried step never leaves a second value behind.
 */
public interface CertificateDirectory {

	/**
	 * Adds the certificate to the holder's entry, creating the entry when it is missing.
	 * @param holder whose entry
	 * @param certificateDer the certificate
	 * @return the entry's DN
	 * @throws DirectoryUnavailableException when the directory cannot be reached or
	 * refuses the change
	 */
	String publish(Holder holder, byte[] certificateDer);

	/**
	 * Removes the certificate from the entry; an entry or value already gone is fine.
	 * @param entryDn the DN {@link #publish} returned
	 * @param certificateDer the certificate
	 * @throws DirectoryUnavailableException when the directory cannot be reached or
	 * refuses the change
	 */
	void withdraw(String entryDn, byte[] certificateDer);

	/**
	 * Makes the CA's entry hold exactly this CA certificate and CRL, creating the entry
	 * when it is missing.
	 * @param ca the CA's material
	 * @return the entry's DN
	 * @throws DirectoryUnavailableException when the directory cannot be reached or
	 * refuses the change
	 */
	String publishCa(CaMaterial ca);

	/**
	 * Whose entry a certificate goes to.
	 *
	 * @param email the validated mailbox
	 * @param fullName the holder's name as validated
	 */
	record Holder(String email, String fullName) {
	}

	/**
	 * What a CA entry holds.
	 *
	 * @param commonName the CA's CN, which names its entry
	 * @param certificateDer the CA certificate
	 * @param crlDer its current CRL, or null before one was produced
	 */
	record CaMaterial(String commonName, byte[] certificateDer, byte[] crlDer) {
	}

}
