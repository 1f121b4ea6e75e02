package org.certflow.delivery;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.mail.delivery}: how the outbox retries a mail the SMTP
 * server does not take. Defaults keep retrying for three days, so an outage of hours
 * needs nobody to act.
 *
 * @param firstRetryDelay wait after the first failed attempt; doubled after each further
 * failure
 * @param maxRetryDelay the longest wait between two attempts
 * @param giveUpAfter how long a mail is retried before it is marked FAILED
 * @param sweepInterval how often each node looks for mail that is due (after a crash,
 * during an outage); new mail is sent at once after commit and does not wait for this
 * @param claimDuration how long a node owns a mail it is sending; another node takes it
 * over after that, so it must be longer than the SMTP connect, read and write timeouts
 * together
 * @param batchSize the most mails one sweep claims
 */
@Validated
@ConfigurationProperties("certflow.mail.delivery")
record MailDeliverySettings(@NotNull Duration firstRetryDelay, @NotNull Duration maxRetryDelay,
		@NotNull Duration giveUpAfter, @NotNull Duration sweepInterval, @NotNull Duration claimDuration,
		@Min(1) @Max(1000) int batchSize) {

	MailDeliverySettings {
		if (firstRetryDelay != null && maxRetryDelay != null && (firstRetryDelay.isNegative()
				|| firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0)) {
			throw new IllegalArgumentException("certflow.mail.delivery.first-retry-delay must be positive and "
					+ "not longer than certflow.mail.delivery.max-retry-delay");
		}
		if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
			throw new IllegalArgumentException("certflow.mail.delivery.sweep-interval must be positive");
		}
	}

	/**
	 * The wait before the next attempt after a mail's {@code failedAttempts}-th failure:
	 * doubling from the first delay, capped.
	 * @param failedAttempts failed attempts so far, at least 1
	 * @return the wait
	 */
	Duration retryDelay(int failedAttempts) {
		Duration delay = this.firstRetryDelay;
		for (int i = 1; i < failedAttempts && delay.compareTo(this.maxRetryDelay) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.maxRetryDelay) > 0) ? this.maxRetryDelay : delay;
	}

}
