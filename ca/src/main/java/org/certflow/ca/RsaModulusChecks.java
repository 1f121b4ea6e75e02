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

	private static final boolean[] SQUARE_MOD_64 = squares(64);

	private static final boolean[] SQUARE_MOD_63 = squares(63);

	private static final boolean[] SQUARE_MOD_65 = squares(65);

	private static final boolean[] SQUARE_MOD_11 = squares(11);

	private static final BigInteger RESIDUE_MODULUS = BigInteger.valueOf(63 * 65 * 11);

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
	 * which includes p = q (the modulus is a perfect square). Each round updates a^2 - n
	 * incrementally and rules out most non-squares with residue tables, so the full
	 * square root is rarely taken: this check runs on every RSA request and must cost far
	 * less than a signature.
	 * @param n the modulus
	 * @return whether the modulus was factored
	 */
	static boolean hasClosePrimes(BigInteger n) {
		BigInteger[] root = n.sqrtAndRemainder();
		if (root[1].signum() == 0) {
			return true;
		}
		BigInteger a = root[0].add(BigInteger.ONE);
		BigInteger b2 = a.multiply(a).subtract(n);
		for (int i = 0; i < FERMAT_ROUNDS; i++) {
			if (mayBeSquare(b2) && b2.sqrtAndRemainder()[1].signum() == 0) {
				return true;
			}
			// (a + 1)^2 - n = (a^2 - n) + 2a + 1
			b2 = b2.add(a.shiftLeft(1)).add(BigInteger.ONE);
			a = a.add(BigInteger.ONE);
		}
		return false;
	}

	private static boolean mayBeSquare(BigInteger x) {
		if (!SQUARE_MOD_64[x.intValue() & 63]) {
			return false;
		}
		int r = x.mod(RESIDUE_MODULUS).intValue();
		return SQUARE_MOD_63[r % 63] && SQUARE_MOD_65[r % 65] && SQUARE_MOD_11[r % 11];
	}

	private static boolean[] squares(int m) {
		boolean[] table = new boolean[m];
		for (int i = 0; i < m; i++) {
			table[(i * i) % m] = true;
		}
		return table;
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
