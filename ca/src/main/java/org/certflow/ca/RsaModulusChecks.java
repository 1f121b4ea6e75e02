package org.certflow.ca;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Number-theoretic checks that catch RSA moduli from broken key generators: tiny factors,
 * primes so close that Fermat's method splits the modulus at once, and the ROCA
 * fingerprint of the Infineon RSALib (CVE-2017-15361).
 */
final class RsaModulusChecks {

	/** Primes below this bound are tried by one gcd with their product. */
	private static final int SMALL_PRIME_BOUND = 1000;

	private static final BigInteger SMALL_PRIMES_PRODUCT;

	static final int FERMAT_ROUNDS = 100;

	/**
	 * ROCA primes are 65537^k mod M plus a multiple of M, where M is a primorial
	 * including at least every prime up to 167. So for each such small prime r, N mod r
	 * lies in the subgroup that 65537 generates mod r; for honest keys it almost never
	 * does for all of them at once.
	 */
	private static final int[] ROCA_PRIMES = { 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
			73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167 };

	private static final List<Set<Integer>> ROCA_SUBGROUPS = new ArrayList<>();

	static {
		BigInteger product = BigInteger.ONE;
		for (int p = 2; p < SMALL_PRIME_BOUND; p++) {
			if (BigInteger.valueOf(p).isProbablePrime(30)) {
				product = product.multiply(BigInteger.valueOf(p));
			}
		}
		SMALL_PRIMES_PRODUCT = product;
		for (int r : ROCA_PRIMES) {
			Set<Integer> powers = new HashSet<>();
			int g = 65537 % r;
			int x = 1;
			do {
				powers.add(x);
				x = (x * g) % r;
			}
			while (x != 1);
			ROCA_SUBGROUPS.add(powers);
		}
	}

	private RsaModulusChecks() {
	}

	static boolean hasSmallFactor(BigInteger n) {
		return !n.gcd(SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE);
	}

	/**
	 * Fermat factorisation for a bounded number of rounds; succeeds when |p - q| is tiny,
	 * which includes p = q (the modulus is a perfect square).
	 * @param n the modulus
	 * @return whether the modulus was factored
	 */
	static boolean hasClosePrimes(BigInteger n) {
		BigInteger[] root = n.sqrtAndRemainder();
		BigInteger a = root[0];
		if (root[1].signum() == 0) {
			return true;
		}
		a = a.add(BigInteger.ONE);
		for (int i = 0; i < FERMAT_ROUNDS; i++) {
			BigInteger b2 = a.multiply(a).subtract(n);
			BigInteger[] b = b2.sqrtAndRemainder();
			if (b[1].signum() == 0) {
				return true;
			}
			a = a.add(BigInteger.ONE);
		}
		return false;
	}

	static boolean hasRocaFingerprint(BigInteger n) {
		for (int i = 0; i < ROCA_PRIMES.length; i++) {
			int residue = n.mod(BigInteger.valueOf(ROCA_PRIMES[i])).intValue();
			if (!ROCA_SUBGROUPS.get(i).contains(residue)) {
				return false;
			}
		}
		return true;
	}

}
