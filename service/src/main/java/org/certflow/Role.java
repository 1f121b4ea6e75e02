package org.certflow;

import java.util.Locale;

/** What one CertFlow process does (see {@link CertFlowApplication}). */
public enum Role {

	/** RA node with a signer in the same JVM: the one-command embedded default. */
	ALL,
	/** RA node only: never opens the CA key store. */
	RA,
	/** Signer only: holds the CA key, reaches the RA over engine REST. */
	SIGNER;

	/**
	 * @param value all, ra or signer, in any case
	 * @return the role
	 * @throws IllegalArgumentException naming the allowed values
	 */
	public static Role parse(String value) {
		try {
			return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					CertFlowApplication.ROLE + " must be all, ra or signer, not '" + value + "'", ex);
		}
	}

}
