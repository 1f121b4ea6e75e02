package org.certflow.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Certificate serial numbers: 159 random bits, so the DER INTEGER is positive and at most
 * 20 octets, with far more than the 64 bits of entropy the CA/Browser Forum requires.
 */
final class Serials {

	static final int RANDOM_BITS = 159;

	static final int MIN_BITS = 64;

	private Serials() {
	}

	static BigInteger draw(SecureRandom random) {
		BigInteger serial;
		do {
			serial = new BigInteger(RANDOM_BITS, random);
		}
		// A value this short happens with probability 2^-95; drawing again keeps the lint
		// exact.
		while (serial.bitLength() < MIN_BITS);
		return serial;
	}

}
