package org.certflow.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.certflow.bench.BenchOptions.DatabaseKind;

/**
 * A database made for one side of one run, so that neither side starts with rows the
 * other or an earlier run left. The connection settings repeat the service's own
 * ({@code application.yml} and {@code application-mysql.yml}), because the yardstick is
 * only fair on the same durability: H2 writes every commit before it returns
 * ({@code WRITE_DELAY=0}), MariaDB runs as configured.
 */
final class ScratchDatabase implements AutoCloseable {

	private static final String H2_OPTIONS = ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

	private static final String MYSQL_OPTIONS = "?nullDatabaseMeansCurrent=true&useUnicode=true"
			+ "&characterEncoding=UTF-8&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";

	private final DatabaseKind kind;

	private final BenchOptions options;

	private final String name;

	private final String jdbcUrl;

	private ScratchDatabase(DatabaseKind kind, BenchOptions options, String name, String jdbcUrl) {
		this.kind = kind;
		this.options = options;
		this.name = name;
		this.jdbcUrl = jdbcUrl;
	}

	/**
	 * @param options the run's options
	 * @param dir a fresh directory; on H2 the database files go under {@code dir/db}, as
	 * the service puts them under its data directory
	 * @param purpose a word for the database name on MariaDB
	 * @return the new, empty database
	 */
	static ScratchDatabase create(BenchOptions options, Path dir, String purpose) {
		if (options.database() == DatabaseKind.H2) {
			String url = "jdbc:h2:retry:" + dir.resolve("db").resolve("certflow").toAbsolutePath() + H2_OPTIONS;
			return new ScratchDatabase(DatabaseKind.H2, options, "certflow", url);
		}
		String name = "certflow_bench_" + purpose + "_" + HexFormat.of().formatHex(randomBytes());
		// The binary collation the README asks for, so that tokens and names compare
		// exactly.
		execute(options, "create database " + name + " character set utf8mb4 collate utf8mb4_bin");
		return new ScratchDatabase(DatabaseKind.MARIADB, options, name,
				"jdbc:mysql://" + options.dbHost() + ":" + options.dbPort() + "/" + name + MYSQL_OPTIONS);
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[4];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	String jdbcUrl() {
		return this.jdbcUrl;
	}

	String user() {
		return (this.kind == DatabaseKind.H2) ? "certflow" : this.options.dbUser();
	}

	String password() {
		return (this.kind == DatabaseKind.H2) ? "" : this.options.dbPassword();
	}

	/**
	 * @return the engine's database type, as the service sets it
	 */
	String engineDatabaseType() {
		return (this.kind == DatabaseKind.H2) ? "h2" : "mysql";
	}

	/**
	 * @return arguments that point the service at this database through its own profile
	 * and variables, as an operator would
	 */
	List<String> serviceArguments() {
		return (this.kind == DatabaseKind.H2) ? List.of() : List.of("--spring.profiles.active=mysql");
	}

	Map<String, String> serviceEnvironment() {
		if (this.kind == DatabaseKind.H2) {
			return Map.of();
		}
		return Map.of("CERTFLOW_DB_HOST", this.options.dbHost(), "CERTFLOW_DB_PORT",
				String.valueOf(this.options.dbPort()), "CERTFLOW_DB_NAME", this.name, "CERTFLOW_DB_USER",
				this.options.dbUser(), "CERTFLOW_DB_PASSWORD", this.options.dbPassword());
	}

	String describe() {
		return (this.kind == DatabaseKind.H2) ? this.jdbcUrl : "MariaDB database " + this.name;
	}

	@Override
	public void close() {
		if (this.kind == DatabaseKind.MARIADB && !this.options.keep()) {
			execute(this.options, "drop database if exists " + this.name);
		}
	}

	private static void execute(BenchOptions options, String sql) {
		String url = "jdbc:mysql://" + options.dbHost() + ":" + options.dbPort() + "/" + MYSQL_OPTIONS;
		try (Connection connection = DriverManager.getConnection(url, options.dbUser(), options.dbPassword());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("MariaDB at " + options.dbHost() + ":" + options.dbPort() + " as "
					+ options.dbUser() + " refused '" + sql + "': " + ex.getMessage()
					+ " (start MariaDB, or set --db-host, --db-port, --db-user and " + BenchOptions.PASSWORD_VARIABLE
					+ ")", ex);
		}
	}

}
