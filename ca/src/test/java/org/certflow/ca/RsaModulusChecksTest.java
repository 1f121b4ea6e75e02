package org.certflow.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RsaModulusChecksTest {

	static final SecureRandom random = new SecureRandom();

	/** Primes p and q = the next prime after p + d, each about 1024 bits. */
	static BigInteger modulus(BigInteger d) {
		BigInteger p = BigInteger.probablePrime(1024, random);
		return p.multiply(p.add(d).nextProbablePrime());
	}

	/** Rounds Fermat needs: about d^2 / (8 sqrt(n)). */
	static long roundsNeeded(BigInteger n) {
		BigInteger a = n.sqrt().add(BigInteger.ONE);
		for (long i = 0; i < 100_000; i++) {
			BigInteger b2 = a.multiply(a).subtract(n);
			if (b2.sqrtAndRemainder()[1].signum() == 0) {
				return i;
			}
			a = a.add(BigInteger.ONE);
		}
		return Long.MAX_VALUE;
	}

	@Test
	void findsPrimesThatNeedSeveralFermatRounds() {
		BigInteger n = modulus(BigInteger.ONE.shiftLeft(514).multiply(BigInteger.valueOf(3)));
		assertThat(roundsNeeded(n)).isBetween(2L, 99L);
		assertThat(RsaModulusChecks.hasClosePrimes(n)).isTrue();
	}

	@Test
	void stopsAfterOneHundredRounds() {
		BigInteger n = modulus(BigInteger.ONE.shiftLeft(519));
		assertThat(roundsNeeded(n)).isGreaterThan(100L);
		assertThat(RsaModulusChecks.hasClosePrimes(n)).isFalse();
	}

	@Test
	void findsASquareModulus() {
		BigInteger p = BigInteger.probablePrime(1024, random);
		assertThat(RsaModulusChecks.hasClosePrimes(p.multiply(p))).isTrue();
	}

	@Test
	void passesAnHonestModulus() {
		BigInteger n = BigInteger.probablePrime(1024, random).multiply(BigInteger.probablePrime(1024, random));
		assertThat(RsaModulusChecks.hasClosePrimes(n)).isFalse();
		assertThat(RsaModulusChecks.hasSmallFactor(n)).isFalse();
	}

	@Test
	void findsASmallFactor() {
		BigInteger n = BigInteger.probablePrime(1024, random).multiply(BigInteger.valueOf(997));
		assertThat(RsaModulusChecks.hasSmallFactor(n)).isTrue();
	}

}
