package org.certflow.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Slows down password guessing, per client address and per user, without ever locking a
 * user out for long.
 * <p>
 * Each wrong password counts against the client address and against the user. Past a few
 * free attempts each count waits twice as long as the one before: a client's wait grows
 * up to {@code clientMaxDelay} (only that client suffers it), a user's wait is capped at
 * {@code userMaxDelay}, because anyone anywhere can start it. A client address that has
 * logged in as a user before is not held back by that user's wait, nor by its own wait
 * for others' passwords (unless it keeps getting that user's password wrong), so a
 * distributed attacker cannot keep the real user out from where they usually work. A
 * right password clears the user's count and forgives that client what it got wrong for
 * that user.
 * <p>
 * The state lives in memory on each node: it is short-lived, losing it on restart only
 * gives an attacker a few free attempts back, and writing each wrong password to the
 * database would hand an attacker a way to load it. The engine's own permanent lock is
 * switched off ({@link LoginThrottlePlugin}).
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	/** Above this many entries, forgotten ones are swept away before adding more. */
	private static final int SWEEP_ABOVE = 10_000;

	/** A hard bound on memory: beyond it, new users and pairs are not tracked. */
	private static final int MAX_ENTRIES = 200_000;

	private final LoginThrottleSettings settings;

	private final Clock clock;

	private final Map<String, Count> users = new ConcurrentHashMap<>();

	private final Map<String, ClientCount> clients = new ConcurrentHashMap<>();

	private final Map<String, Instant> knownClients = new ConcurrentHashMap<>();

	LoginThrottle(LoginThrottleSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * How long this client must wait before a password for this user is checked at all;
	 * zero if it may try now.
	 */
	Duration waitBefore(String client, String user) {
		Instant now = this.clock.instant();
		boolean known = isKnown(client, user, now);
		Duration wait = Duration.ZERO;
		ClientCount clientCount = this.clients.get(client);
		// A client that has logged in as this user before, and has not since got its
		// password wrong more than a user may, is not held back by what it got wrong for
		// others: someone guessing from the same address must not lock out the real user
		// (or the administrator who would release them).
		if (clientCount != null && !(known && clientCount.failuresFor(user) <= this.settings.userFreeAttempts())) {
			wait = clientCount.waitAt(now);
		}
		Count userCount = this.users.get(user);
		if (userCount != null && !known) {
			Duration userWait = userCount.waitAt(now);
			wait = (userWait.compareTo(wait) > 0) ? userWait : wait;
		}
		return wait;
	}

	void failed(String client, String user) {
		Instant now = this.clock.instant();
		sweepIfLarge(now);
		ClientCount clientCount = this.clients.computeIfAbsent(client,
				(key) -> new ClientCount(this.settings.clientFreeAttempts(), this.settings.clientMaxDelay()));
		clientCount.failed(user, now);
		if (!isKnown(client, user, now) && this.users.size() < MAX_ENTRIES) {
			Count userCount = this.users.computeIfAbsent(user,
					(key) -> new Count(this.settings.userFreeAttempts(), this.settings.userMaxDelay()));
			if (userCount.failed(now) == this.settings.userFreeAttempts() + 1) {
				log.warn("Wrong passwords for user {} keep coming; its logins are slowed down (last from {})",
						printable(user), client);
			}
		}
	}

	void succeeded(String client, String user) {
		this.users.remove(user);
		ClientCount clientCount = this.clients.get(client);
		if (clientCount != null) {
			clientCount.forgive(user);
		}
		if (this.knownClients.size() < MAX_ENTRIES) {
			this.knownClients.put(pair(client, user), this.clock.instant());
		}
	}

	/** An administrator unlocked the user: forget everything held against it. */
	void forgetUser(String user) {
		this.users.remove(user);
		this.clients.values().forEach((clientCount) -> clientCount.forgive(user));
	}

	private boolean isKnown(String client, String user, Instant now) {
		Instant since = this.knownClients.get(pair(client, user));
		return since != null && since.plus(this.settings.knownClientMemory()).isAfter(now);
	}

	// A user name is whatever an attacker typed: keep it on one log line.
	private static String printable(String user) {
		return user.replaceAll("\\p{Cntrl}", "?");
	}

	private static String pair(String client, String user) {
		return client + '\n' + user;
	}

	private void sweepIfLarge(Instant now) {
		if (this.users.size() + this.clients.size() + this.knownClients.size() < SWEEP_ABOVE) {
			return;
		}
		this.users.values().removeIf((count) -> count.isForgottenAt(now));
		this.clients.values().removeIf((count) -> count.isForgottenAt(now));
		this.knownClients.values().removeIf((since) -> !since.plus(this.settings.knownClientMemory()).isAfter(now));
	}

	/** Wrong passwords counted against one key, with the back-off they earned. */
	private class Count {

		private final int free;

		private final Duration max;

		private int failures;

		private Instant lastFailure = Instant.EPOCH;

		Count(int free, Duration max) {
			this.free = free;
			this.max = max;
		}

		synchronized int failed(Instant now) {
			this.failures++;
			this.lastFailure = now;
			return this.failures;
		}

		synchronized Duration waitAt(Instant now) {
			Duration wait = Duration.between(now, this.lastFailure.plus(delay(this.failures)));
			return wait.isNegative() ? Duration.ZERO : wait;
		}

		synchronized void reduceBy(int forgiven) {
			this.failures = Math.max(0, this.failures - forgiven);
		}

		// Kept until its longest wait has passed twice over, so that a slow attacker
		// does not start from zero again.
		synchronized boolean isForgottenAt(Instant now) {
			Duration memory = this.max.multipliedBy(2).compareTo(Duration.ofMinutes(15)) > 0 ? this.max.multipliedBy(2)
					: Duration.ofMinutes(15);
			return this.lastFailure.plus(memory).isBefore(now);
		}

		private Duration delay(int failures) {
			if (failures <= this.free) {
				return Duration.ZERO;
			}
			int doublings = Math.min(failures - this.free - 1, 30);
			Duration delay = LoginThrottle.this.settings.firstDelay().multipliedBy(1L << doublings);
			return (delay.compareTo(this.max) > 0) ? this.max : delay;
		}

	}

	/** A client's count, remembering which users its failures were for. */
	private final class ClientCount extends Count {

		private static final int MAX_USERS_TRACKED = 100;

		private final Map<String, Integer> byUser = new ConcurrentHashMap<>();

		ClientCount(int free, Duration max) {
			super(free, max);
		}

		void failed(String user, Instant now) {
			failed(now);
			if (this.byUser.containsKey(user) || this.byUser.size() < MAX_USERS_TRACKED) {
				this.byUser.merge(user, 1, Integer::sum);
			}
		}

		int failuresFor(String user) {
			// Users beyond those tracked count as many wrong passwords.
			return this.byUser.getOrDefault(user, (this.byUser.size() < MAX_USERS_TRACKED) ? 0 : Integer.MAX_VALUE);
		}

		void forgive(String user) {
			Integer forgiven = this.byUser.remove(user);
			if (forgiven != null) {
				reduceBy(forgiven);
			}
		}

	}

}
