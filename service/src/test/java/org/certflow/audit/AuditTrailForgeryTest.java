package org.certflow.audit;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone who edits an event and recomputes its own hash (SHA-256 needs no key) makes
 * that event verify on its own; the next event's link to it still gives the edit away.
 */
class AuditTrailForgeryTest {

	@Test
	void anEditedEventWithARecomputedHashIsFoundAtTheNextEvent() {
		DriverManagerDataSource database = new DriverManagerDataSource(
				"jdbc:h2:mem:forgery-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(database);
		AuditTrail trail = new AuditTrail(jdbc, Clock.systemUTC());
		new TransactionTemplate(new DataSourceTransactionManager(database)).executeWithoutResult((status) -> {
			for (int i = 1; i <= 4; i++) {
				trail.append(new AuditEvent(AuditEvent.Type.REVOKED, "CN=Issuing", "0" + i, null, "reason=superseded",
						null));
			}
		});

		AuditEvent forged = new AuditEvent(AuditEvent.Type.REVOKED, "CN=Issuing", "02", null, "reason=keyCompromise",
				null);
		LocalDateTime at = jdbc.queryForObject("select recorded_at from audit_event where event_id = 2",
				LocalDateTime.class);
		String prev = jdbc.queryForObject("select prev_hash from audit_event where event_id = 2", String.class);
		jdbc.update("update audit_event set detail = ?, event_hash = ? where event_id = 2", forged.detail(),
				AuditTrail.hash(2, at, forged, prev));

		AuditTrail.Verification verification = trail.verify();
		assertThat(verification.valid()).isFalse();
		assertThat(verification.firstBrokenEvent()).isEqualTo(3L);
	}

}
