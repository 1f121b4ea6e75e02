package org.certflow.ca;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of the CA. It is passed explicitly rather than
 * registered globally so the CA never changes the JVM's provider order for the rest of
 * the application.
 */
final class Bc {

	static final Provider PROVIDER = new BouncyCastleProvider();

	private Bc() {
	}

}
