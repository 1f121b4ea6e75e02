package db.migration;

import java.sql.Connection;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Mail to staff (the officers' digest) goes through the same outbox as mail to
 * applicants, but belongs to no request: {@code mail_outbox.request_id} becomes nullable.
 * H2 and MySQL/MariaDB have no common syntax for dropping NOT NULL, so this one migration
 * is Java and picks the statement by database; everything else stays plain SQL.
 */
public class V16__Staff_mail extends BaseJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
		try (Statement statement = connection.createStatement()) {
			if (product.contains("h2")) {
				statement.execute("alter table mail_outbox alter column request_id set null");
			}
			else if (product.contains("mysql") || product.contains("mariadb")) {
				statement.execute("alter table mail_outbox modify request_id varchar(36) null");
			}
			else {
				throw new IllegalStateException("No migration V16 for database " + product);
			}
			// One row per queue: when its last digest was queued and the creation time of
			// the newest task it announced. Locked by each run, so that two nodes never
			// send the same digest.
			statement.execute("create table officer_digest (" //
					+ "queue_group varchar(64) not null, " //
					+ "last_sent_at datetime(6) not null, " //
					+ "announced_until datetime(6) not null, " //
					+ "constraint pk_officer_digest primary key (queue_group))");
		}
	}

}
