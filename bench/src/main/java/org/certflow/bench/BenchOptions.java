package org.certflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark run measures and against which database. Every option has a default
 * that works on a fresh clone after the documented build, so the README command needs
 * only {@code --db} and {@code --approvals}.
 *
 * @param database the database kind both the service and the yardstick run on
 * @param approvals N: requests approved at once in phase A, and driven end to end in
 * phase B; also the number of yardstick instances
 * @param threads client threads that act as RA admins, applicants and officers
 * @param probes approvals made one at a time for the short-queue latency
 * @param warmup requests driven end to end before anything is measured
 * @param jvmArgs JVM options given to the service and to the yardstick alike
 * @param serviceJar the service jar to fork
 * @param dbHost MariaDB host
 * @param dbPort MariaDB port
 * @param dbUser MariaDB user allowed to create and drop databases
 * @param dbPassword its password (from {@code CERTFLOW_BENCH_DB_PASSWORD}, never an
 * argument, so it does not show in the process list)
 * @param keyAlgorithm the yardstick CA's key, the service's default issuing key algorithm
 * unless told otherwise
 * @param keep keep the temporary directories and databases for a look afterwards
 */
record BenchOptions(DatabaseKind database, int approvals, int threads, int probes, int warmup, List<String> jvmArgs,
		Path serviceJar, String dbHost, int dbPort, String dbUser, String dbPassword, SigningKey keyAlgorithm,
		boolean keep) {

	static final String PASSWORD_VARIABLE = "CERTFLOW_BENCH_DB_PASSWORD";

	/**
	 * As many warm-up requests as the yardstick gets warm-up instances. With 20, a JFR
	 * recording of phase A showed the JIT compiler busy for most of it (38 compilations,
	 * 14.7 s of compiler time in 15 s): the service was measured while its signing and
	 * approval paths were still being compiled, the yardstick after they were.
	 */
	static final int WARMUP = 100;

	static final String USAGE = """
			Usage: java -jar bench/target/certflow-bench.jar [options]
			  --db h2|mariadb        database of the service and of the yardstick (default h2)
			  --approvals N          requests per phase and yardstick instances (default 300)
			  --threads T            client threads (default 4)
			  --probes P             one-at-a-time approvals for the short-queue latency (default 20)
			  --warmup W             unmeasured end-to-end requests first (default 100)
			  --jvm-args "..."       JVM options of the service and the yardstick (default "-Xmx1g")
			  --service-jar PATH     default service/target/certflow.jar
			  --key-algorithm ALG    yardstick CA key: ec-p256 (CertFlow's default issuing key), ec-p384,
			                         rsa-2048, rsa-3072, ed25519
			  --db-host H --db-port P --db-user U   MariaDB (default 127.0.0.1 3306 root); the password
			                         is read from CERTFLOW_BENCH_DB_PASSWORD (default empty)
			  --keep                 keep temporary directories and databases
			""";

	static BenchOptions parse(String[] args) {
		Map<String, String> values = new HashMap<>();
		boolean keep = false;
		for (int i = 0; i < args.length; i++) {
			String name = args[i];
			if (name.equals("--keep")) {
				keep = true;
			}
			else if (name.equals("--help") || name.equals("-h")) {
				throw new UsageException(null);
			}
			else if (name.startsWith("--") && i + 1 < args.length) {
				values.put(name.substring(2), args[++i]);
			}
			else {
				throw new UsageException("Unknown or incomplete option '" + name + "'.");
			}
		}
		BenchOptions options = new BenchOptions(DatabaseKind.parse(values.remove("db")),
				positive(values, "approvals", 300), positive(values, "threads", 4), positive(values, "probes", 20),
				count(values, "warmup", WARMUP), Arrays.asList(text(values, "jvm-args", "-Xmx1g").trim().split("\\s+")),
				Path.of(text(values, "service-jar", "service/target/certflow.jar")).toAbsolutePath(),
				text(values, "db-host", "127.0.0.1"), positive(values, "db-port", 3306),
				text(values, "db-user", "root"), System.getenv().getOrDefault(PASSWORD_VARIABLE, ""),
				SigningKey.parse(text(values, "key-algorithm", "ec-p256")), keep);
		if (!values.isEmpty()) {
			throw new UsageException("Unknown option --" + values.keySet().iterator().next() + ".");
		}
		if (!Files.isRegularFile(options.serviceJar())) {
			throw new UsageException("No service jar at " + options.serviceJar()
					+ ". Build it first (README, Benchmarks) or name it with --service-jar.");
		}
		return options;
	}

	private static int positive(Map<String, String> values, String name, int fallback) {
		int value = count(values, name, fallback);
		if (value < 1) {
			throw new UsageException("--" + name + " must be at least 1.");
		}
		return value;
	}

	private static String text(Map<String, String> values, String name, String fallback) {
		String text = values.remove(name);
		return (text != null) ? text : fallback;
	}

	private static int count(Map<String, String> values, String name, int fallback) {
		String text = values.remove(name);
		if (text == null) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(text.trim());
			if (value < 0) {
				throw new UsageException("--" + name + " must not be negative.");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--" + name + " must be a whole number, not '" + text + "'.");
		}
	}

	/** The database both sides run on. */
	enum DatabaseKind {

		H2, MARIADB;

		static DatabaseKind parse(String text) {
			if (text == null) {
				return H2;
			}
			return switch (text.trim().toLowerCase(Locale.ROOT)) {
				case "h2" -> H2;
				case "mariadb", "mysql" -> MARIADB;
				default -> throw new UsageException("--db must be h2 or mariadb, not '" + text + "'.");
			};
		}

		String label() {
			return (this == H2) ? "H2" : "MariaDB";
		}

	}

	/** A mistake on the command line: the message says what to change. */
	static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
