package org.certflow.workflow;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.officers.digest}: the mail that tells officers new work
 * reached their queue.
 *
 * @param enabled whether digests are sent at all
 * @param interval the shortest time between two digests to the same queue: however many
 * tasks arrive, an officer gets at most one mail per interval
 * @param checkInterval how often each node looks for new tasks; a digest goes out at most
 * this long after the interval has run
 * @param groups the candidate groups whose members are told, each its own queue
 */
@Validated
@ConfigurationProperties("certflow.officers.digest")
record OfficerDigestSettings(boolean enabled, @NotNull Duration interval, @NotNull Duration checkInterval,
		@NotEmpty List<String> groups) {

	OfficerDigestSettings {
		if (interval != null && (interval.isNegative() || interval.isZero())) {
			throw new IllegalArgumentException("certflow.officers.digest.interval must be positive");
		}
		if (checkInterval != null && (checkInterval.isNegative() || checkInterval.isZero())) {
			throw new IllegalArgumentException("certflow.officers.digest.check-interval must be positive");
		}
	}

}
