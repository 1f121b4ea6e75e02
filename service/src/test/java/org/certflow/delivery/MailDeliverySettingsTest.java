package org.certflow.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The shipped retry schedule (application.yml, not the integration suite's fast one)
 * rides out a two-hour SMTP outage on its own and sends soon after the server is back.
 */
class MailDeliverySettingsTest {

	private static final Duration OUTAGE = Duration.ofHours(2);

	@Test
	void shippedDefaultsRetryThroughATwoHourOutageAndSendSoonAfter() throws IOException {
		MailDeliverySettings defaults = shippedDefaults();
		assertThat(defaults.giveUpAfter()).as("give-up age").isGreaterThanOrEqualTo(OUTAGE.multipliedBy(12));

		// A mail queued as the outage starts: the attempts that fall inside it.
		Duration elapsed = Duration.ZERO;
		int attempts = 1;
		while (elapsed.compareTo(OUTAGE) < 0) {
			Duration wait = defaults.retryDelay(attempts);
			assertThat(wait).as("wait after attempt %d", attempts).isLessThanOrEqualTo(Duration.ofMinutes(10));
			elapsed = elapsed.plus(wait);
			attempts++;
		}
		assertThat(elapsed).as("still retrying when the outage ends").isLessThan(defaults.giveUpAfter());
		assertThat(attempts).as("attempts during the outage").isBetween(10, 40);
		// Once the server is back, the next attempt is at most one capped wait plus a
		// sweep away.
		assertThat(defaults.maxRetryDelay().plus(defaults.sweepInterval())).isLessThanOrEqualTo(Duration.ofMinutes(11));
	}

	@Test
	void claimOutlastsTheSmtpTimeouts() throws IOException {
		PropertySource<?> yaml = applicationYml();
		Duration smtp = List.of("connectiontimeout", "timeout", "writetimeout")
			.stream()
			.map((name) -> Duration
				.ofMillis(Long.parseLong(String.valueOf(yaml.getProperty("spring.mail.properties.mail.smtp." + name)))))
			.reduce(Duration.ZERO, Duration::plus);
		assertThat(smtp).isPositive();
		assertThat(shippedDefaults().claimDuration()).isGreaterThan(smtp.multipliedBy(2));
	}

	@Test
	void backOffDoublesFromTheFirstDelayUpToTheCap() {
		MailDeliverySettings settings = new MailDeliverySettings(Duration.ofSeconds(30), Duration.ofMinutes(10),
				Duration.ofDays(3), Duration.ofSeconds(5), Duration.ofMinutes(2), 50);
		assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100).stream().map(settings::retryDelay).toList()).containsExactly(
				Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
				Duration.ofMinutes(8), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10));
	}

	@Test
	void refusesAFirstDelayLongerThanTheCap() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MailDeliverySettings(Duration.ofMinutes(20), Duration.ofMinutes(10),
					Duration.ofDays(3), Duration.ofSeconds(5), Duration.ofMinutes(2), 50))
			.withMessageContaining("certflow.mail.delivery.first-retry-delay");
	}

	private static MailDeliverySettings shippedDefaults() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(applicationYml());
		return new Binder(ConfigurationPropertySources.get(environment))
			.bind("certflow.mail.delivery", MailDeliverySettings.class)
			.get();
	}

	private static PropertySource<?> applicationYml() throws IOException {
		return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml")).get(0);
	}

}
