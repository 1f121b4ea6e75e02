package org.certflow.billing;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.billing}: the billing module, off by default.
 *
 * @param enabled whether issuances and revocations are billed
 * @param url where billing events are POSTed as JSON; required when enabled
 * @param authorization the value of the Authorization header sent with each event (for
 * example {@code Bearer ...}); never logged; empty for none
 * @param timeout how long one call may take, connecting included; a call that hangs
 * longer counts as failed and is retried
 * @param firstRetryDelay wait after the first failed attempt; doubled after each further
 * failure
 * @param maxRetryDelay the longest wait between two attempts
 * @param giveUpAfter how long an event is retried before it is marked FAILED for RA
 * admins, who can send it again
 * @param sweepInterval how often each node sends what is due
 * @param claimDuration how long a node owns an event it is sending; longer than timeout
 * @param batchSize the most events one sweep claims
 */
@Validated
@ConfigurationProperties("certflow.billing")
public record BillingSettings(@DefaultValue("false") boolean enabled, URI url, @DefaultValue("") String authorization,
		@NotNull @DefaultValue("PT30S") Duration timeout, @NotNull @DefaultValue("PT30S") Duration firstRetryDelay,
		@NotNull @DefaultValue("PT30M") Duration maxRetryDelay, @NotNull @DefaultValue("P7D") Duration giveUpAfter,
		@NotNull @DefaultValue("PT5S") Duration sweepInterval, @NotNull @DefaultValue("PT2M") Duration claimDuration,
		@Min(1) @Max(1000) @DefaultValue("50") int batchSize) {

	public BillingSettings {
		if (enabled && (url == null || url.getScheme() == null
				|| !(url.getScheme().equals("http") || url.getScheme().equals("https")))) {
			throw new IllegalArgumentException(
					"certflow.billing.url must be an http or https URL when certflow.billing.enabled is true");
		}
		if (firstRetryDelay != null && maxRetryDelay != null && (firstRetryDelay.isNegative()
				|| firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0)) {
			throw new IllegalArgumentException("certflow.billing.first-retry-delay must be positive and not longer "
					+ "than certflow.billing.max-retry-delay");
		}
		if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
			throw new IllegalArgumentException("certflow.billing.sweep-interval must be positive");
		}
		if (timeout != null && claimDuration != null && claimDuration.compareTo(timeout.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException(
					"certflow.billing.claim-duration must be at least twice certflow.billing.timeout");
		}
	}

	/**
	 * @param failedAttempts failed attempts so far, at least 1
	 * @return the wait before the next attempt: doubling from the first delay, capped
	 */
	Duration retryDelay(int failedAttempts) {
		Duration delay = this.firstRetryDelay;
		for (int i = 1; i < failedAttempts && delay.compareTo(this.maxRetryDelay) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.maxRetryDelay) > 0) ? this.maxRetryDelay : delay;
	}

}
