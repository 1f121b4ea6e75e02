package org.certflow.lifecycle;

import java.time.DayOfWeek;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.expiry}: when holders hear that their certificate
 * expires, and when RA admins get the list of what expires.
 *
 * @param noticeDays days before notAfter at which a holder gets a notice, each once
 * @param digestDay the day of the week (UTC) RA admins get the list
 * @param digestDays how far ahead the list looks, in days
 */
@Validated
@ConfigurationProperties("certflow.expiry")
public record ExpirySettings(@NotEmpty @DefaultValue( {
		"30", "7", "1" }) List<@Min(1) @Max(366) Integer> noticeDays,
		@NotNull @DefaultValue("MONDAY") DayOfWeek digestDay, @Min(1) @Max(366) @DefaultValue("30") int digestDays){

	public ExpirySettings {
		if (noticeDays != null && noticeDays.stream().distinct().count() != noticeDays.size()) {
			throw new IllegalArgumentException("certflow.expiry.notice-days lists a day twice: " + noticeDays);
		}
		noticeDays = (noticeDays != null) ? noticeDays.stream().sorted().toList() : null;
	}

}
