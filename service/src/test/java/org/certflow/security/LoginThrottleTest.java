package org.certflow.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {

	private static final String ATTACKER = "203.0.113.7";

	private static final String OTHER_ATTACKER = "198.51.100.9";

	private static final String USERS_DESK = "192.0.2.10";

	private final MovableClock clock = new MovableClock();

	private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleSettings(5, 20, Duration.ofSeconds(1),
			Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofDays(30)), this.clock);

	@Test
	void firstWrongPasswordsAreFreeThenEachDoublesTheWait() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed(ATTACKER, "alice");
		}
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isZero();
		this.throttle.failed(ATTACKER, "alice");
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isEqualTo(Duration.ofSeconds(1));
		this.throttle.failed(ATTACKER, "alice");
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isEqualTo(Duration.ofSeconds(2));
		this.throttle.failed(ATTACKER, "alice");
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isEqualTo(Duration.ofSeconds(4));
		this.clock.pass(Duration.ofSeconds(4));
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isZero();
	}

	@Test
	void aUserIsNeverHeldBackLongerThanTheCapWhileTheClientWaitGrowsLonger() {
		for (int i = 0; i < 40; i++) {
			this.throttle.failed(ATTACKER, "alice");
		}
		assertThat(this.throttle.waitBefore(OTHER_ATTACKER, "alice")).isEqualTo(Duration.ofSeconds(60));
		assertThat(this.throttle.waitBefore(ATTACKER, "bob")).isEqualTo(Duration.ofMinutes(15));
		this.clock.pass(Duration.ofSeconds(60));
		assertThat(this.throttle.waitBefore(USERS_DESK, "alice")).isZero();
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isPositive();
	}

	@Test
	void aClientThatLoggedInAsTheUserIsNotHeldBackByOthersGuessing() {
		this.throttle.succeeded(USERS_DESK, "alice");
		for (int i = 0; i < 30; i++) {
			this.throttle.failed(ATTACKER + i, "alice");
		}
		assertThat(this.throttle.waitBefore("192.0.2.99", "alice")).isPositive();
		assertThat(this.throttle.waitBefore(USERS_DESK, "alice")).isZero();
	}

	@Test
	void guessesForOthersDoNotHoldBackAUserWhoLoggedInFromTheSameAddress() {
		this.throttle.succeeded(ATTACKER, "admin");
		for (int i = 0; i < 30; i++) {
			this.throttle.failed(ATTACKER, "alice");
		}
		assertThat(this.throttle.waitBefore(ATTACKER, "bob")).isPositive();
		assertThat(this.throttle.waitBefore(ATTACKER, "admin")).isZero();
		// Unless it keeps getting that user's password wrong too.
		for (int i = 0; i < 6; i++) {
			this.throttle.failed(ATTACKER, "admin");
		}
		assertThat(this.throttle.waitBefore(ATTACKER, "admin")).isPositive();
	}

	@Test
	void theRightPasswordClearsTheUserAndForgivesTheClientOnlyForThatUser() {
		for (int i = 0; i < 15; i++) {
			this.throttle.failed(ATTACKER, "mallory-target");
		}
		for (int i = 0; i < 15; i++) {
			this.throttle.failed(ATTACKER, "alice");
		}
		this.clock.pass(Duration.ofSeconds(61));
		assertThat(this.throttle.waitBefore(ATTACKER, "mallory")).isPositive();
		this.throttle.succeeded(ATTACKER, "alice");
		assertThat(this.throttle.waitBefore(OTHER_ATTACKER, "alice")).isZero();
		assertThat(this.throttle.waitBefore(ATTACKER, "dave")).isZero();
		// Logging in as itself does not wash away its guesses for someone else: six more
		// wrong passwords put the client over its free attempts again.
		for (int i = 0; i < 6; i++) {
			this.throttle.failed(ATTACKER, "carol");
		}
		assertThat(this.throttle.waitBefore(ATTACKER, "dave")).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void forgettingAUserReleasesItEverywhere() {
		for (int i = 0; i < 30; i++) {
			this.throttle.failed(ATTACKER, "alice");
		}
		this.throttle.forgetUser("alice");
		assertThat(this.throttle.waitBefore(ATTACKER, "alice")).isZero();
		assertThat(this.throttle.waitBefore(OTHER_ATTACKER, "alice")).isZero();
	}

	@Test
	void refusesAUserCapThatWouldLockPeopleOut() {
		assertThatThrownBy(() -> new LoginThrottleSettings(5, 20, Duration.ofSeconds(1), Duration.ofHours(1),
				Duration.ofMinutes(15), Duration.ofDays(30)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("user-max-delay");
	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-11-30T10:00:00Z");

		void pass(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
