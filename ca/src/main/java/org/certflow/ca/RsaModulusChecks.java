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

	private static final long[][] PRIME_GROUPS;

	private static final BigInteger[] PRIME_GROUP_PRODUCTS;

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

	/**
	 * Together these let through about one non-square in 10^5, so a hundred rounds almost
	 * never need a big square root.
	 */
	private static final SquareFilter[] FILTERS = { SquareFilter.of(64, 63, 65, 11),
			SquareFilter.of(17, 19, 23, 29, 31, 37) };

	static {
		List<long[]> groups = new ArrayList<>();
		List<Long> current = new ArrayList<>();
		long product = 1;
		for (int p = 2; p < SMALL_PRIME_BOUND; p++) {
			if (!BigInteger.valueOf(p).isProbablePrime(30)) {
				continue;
			}
			if (product > Long.MAX_VALUE / p) {
				groups.add(current.stream().mapToLong(Long::longValue).toArray());
				current = new ArrayList<>();
				product = 1;
			}
			current.add((long) p);
			product *= p;
		}
		groups.add(current.stream().mapToLong(Long::longValue).toArray());
		PRIME_GROUPS = groups.toArray(new long[0][]);
		PRIME_GROUP_PRODUCTS = new BigInteger[PRIME_GROUPS.length];
		for (int g = 0; g < PRIME_GROUPS.length; g++) {
			PRIME_GROUP_PRODUCTS[g] = BigInteger
				.valueOf(java.util.Arrays.stream(PRIME_GROUPS[g]).reduce(1, (x, y) -> x * y));
		}
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

	/**
	 * Whether a prime below 1000 divides n. The primes are grouped into products that fit
	 * a long, so each group costs one short division of n instead of a gcd of big
	 * numbers.
	 */
	static boolean hasSmallFactor(BigInteger n) {
		for (int g = 0; g < PRIME_GROUPS.length; g++) {
			long residue = n.mod(PRIME_GROUP_PRODUCTS[g]).longValue();
			for (long p : PRIME_GROUPS[g]) {
				if (residue % p == 0) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Fermat factorisation for a bounded number of rounds; succeeds when |p - q| is tiny,
	 * which includes p = q (the modulus is a perfect square). This runs on every RSA
	 * request, so the rounds work on small residues of a and a^2 - n only: a candidate
	 * that is not a square modulo several small numbers cannot be a square, and only the
	 * rare survivor costs a big square root.
	 * @param n the modulus
	 * @return whether the modulus was factored
	 */
	static boolean hasClosePrimes(BigInteger n) {
		BigInteger[] root = n.sqrtAndRemainder();
		if (root[1].signum() == 0) {
			return true;
		}
		BigInteger a0 = root[0].add(BigInteger.ONE);
		long[] a = new long[FILTERS.length];
		long[] b2 = new long[FILTERS.length];
		BigInteger first = a0.multiply(a0).subtract(n);
		for (int f = 0; f < FILTERS.length; f++) {
			BigInteger m = BigInteger.valueOf(FILTERS[f].modulus);
			a[f] = a0.mod(m).longValue();
			b2[f] = first.mod(m).longValue();
		}
		for (int i = 0; i < FERMAT_ROUNDS; i++) {
			if (passesAllFilters(b2)) {
				BigInteger ai = a0.add(BigInteger.valueOf(i));
				if (ai.multiply(ai).subtract(n).sqrtAndRemainder()[1].signum() == 0) {
					return true;
				}
			}
			// (a + 1)^2 - n = (a^2 - n) + 2a + 1, kept modulo each filter
			for (int f = 0; f < FILTERS.length; f++) {
				long m = FILTERS[f].modulus;
				b2[f] = (b2[f] + 2 * a[f] + 1) % m;
				a[f] = (a[f] + 1) % m;
			}
		}
		return false;
	}

	private static boolean passesAllFilters(long[] b2) {
		for (int f = 0; f < FILTERS.length; f++) {
			if (!FILTERS[f].mayBeSquare(b2[f])) {
				return false;
			}
		}
		return true;
	}

	/** Quadratic residues modulo the factors of one modulus, checked from one residue. */
	private record SquareFilter(long modulus, int[] factors, boolean[][] squares) {

		static SquareFilter of(int... factors) {
			long modulus = 1;
			boolean[][] squares = new boolean[factors.length][];
			for (int i = 0; i < factors.length; i++) {
				modulus *= factors[i];
				squares[i] = new boolean[factors[i]];
				for (long x = 0; x < factors[i]; x++) {
					squares[i][(int) ((x * x) % factors[i])] = true;
				}
			}
			return new SquareFilter(modulus, factors, squares);
		}

		boolean mayBeSquare(long residue) {
			for (int i = 0; i < this.factors.length; i++) {
				if (!this.squares[i][(int) (residue % this.factors[i])]) {
					return false;
				}
			}
			return true;
		}

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
