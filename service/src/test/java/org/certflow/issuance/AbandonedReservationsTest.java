package org.certflow.issuance;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serial reserved by a signer that died is burned, never left open; a reservation a
 * live signer may still be working on is left alone.
 */
class AbandonedReservationsTest {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final Duration LOCK = Duration.ofSeconds(30);

	private final DriverManagerDataSource database = new DriverManagerDataSource(
			"jdbc:h2:mem:reservations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final JdbcTemplate jdbc = new JdbcTemplate(this.database);

	@Test
	void burnsOnlyOldReservationsWithoutACertificate() {
		Flyway.configure().dataSource(this.database).locations("classpath:db/migration").load().migrate();
		JdbcIssuanceJournal journal = new JdbcIssuanceJournal(this.jdbc,
				new DataSourceTransactionManager(this.database));
		reserve("a1", NOW.minusSeconds(600));
		reserve("b2", NOW.minusSeconds(10));
		reserve("c3", NOW.minusSeconds(600));
		this.jdbc.update("insert into issued_certificate (issuer, serial_hex, request_id, subscriber, spki_sha256, "
				+ "der, not_before, not_after, issued_at) values ('CN=Issuing', 'c3', 'r-c3', 'a@example.org', '00', "
				+ "X'30', ?, ?, ?)", Timestamp.from(NOW), Timestamp.from(NOW), Timestamp.from(NOW));

		assertThat(journal.burnAbandoned(LOCK.multipliedBy(2), NOW)).isOne();

		assertThat(burnReason("a1")).startsWith("abandoned");
		assertThat(burnReason("b2")).as("a signer may still be at work").isNull();
		assertThat(burnReason("c3")).as("its certificate was recorded").isNull();
		assertThat(journal.burnAbandoned(LOCK.multipliedBy(2), NOW)).as("burned once").isZero();
	}

	private void reserve(String serial, Instant at) {
		this.jdbc.update("insert into serial_reservation (issuer, serial_hex, request_id, tbs_sha256, reserved_at) "
				+ "values ('CN=Issuing', ?, ?, '00', ?)", serial, "r-" + serial, Timestamp.from(at));
	}

	private String burnReason(String serial) {
		return this.jdbc.queryForObject("select burn_reason from serial_reservation where serial_hex = ?", String.class,
				serial);
	}

}
