package org.certflow.revocation;

/**
 * CA material (certificates, CRL) asked for before the signer has published it: the
 * signer has not run yet against this database, or cannot reach it. Worth retrying
 * shortly; the web layer answers 503.
 */
public class CaMaterialNotPublishedException extends RuntimeException {

	public CaMaterialNotPublishedException(String message) {
		super(message);
	}

}
