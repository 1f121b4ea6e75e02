package org.certflow.ca.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the CA benchmarks with 1 and then 2 threads (or the thread count given with
 * {@code -t}), then prints issuance beside its crypto floor as a ratio. JMH's own options
 * pass through, e.g. {@code -p caKey=EC_P256} or {@code -wi 1 -i 5}. Run it with
 * {@code ./mvnw -B -pl ca -Pjmh verify -Djmh.args="..."}; it is never part of the
 * ordinary build.
 */
public final class CaBenchmarks {

	private static final String ISSUE = IssuanceBenchmark.class.getName() + ".issue";

	private static final String FLOOR = IssuanceBenchmark.class.getName() + ".cryptoFloor";

	private static final String OCSP = OcspCacheBenchmark.class.getName() + ".cachedResponse";

	private CaBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		CommandLineOptions cli = new CommandLineOptions(args);
		List<Integer> threadCounts = cli.getThreads().hasValue() ? List.of(cli.getThreads().get()) : List.of(1, 2);
		List<RunResult> results = new ArrayList<>();
		for (int threads : threadCounts) {
			ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).threads(threads).shouldFailOnError(true);
			if (cli.getIncludes().isEmpty()) {
				options.include(CaBenchmarks.class.getPackageName().replace(".", "\\.") + "\\..*");
			}
			results.addAll(new Runner(options.build()).run());
		}
		printSummary(results);
	}

	private static void printSummary(List<RunResult> results) {
		// caKey, then threads: {issued/s, floor/s}
		Map<String, Map<Integer, double[]>> issuance = new TreeMap<>();
		System.out.printf(Locale.ROOT, "%n%s: %d CPUs, %s %s%n", "CertFlow CA issuance against its crypto floor",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
				System.getProperty("java.version"));
		for (RunResult r : results) {
			String benchmark = r.getParams().getBenchmark();
			int threads = r.getParams().getThreads();
			double score = r.getPrimaryResult().getScore();
			if (benchmark.equals(OCSP)) {
				System.out.printf(Locale.ROOT, "OCSP from the cache, %d thread(s): %,.0f responses/s%n", threads,
						score);
				continue;
			}
			int slot = benchmark.equals(ISSUE) ? 0 : benchmark.equals(FLOOR) ? 1 : -1;
			if (slot >= 0) {
				issuance.computeIfAbsent(r.getParams().getParam("caKey"), (k) -> new TreeMap<>())
					.computeIfAbsent(threads, (t) -> new double[] { Double.NaN, Double.NaN })[slot] = score;
			}
		}
		if (issuance.isEmpty()) {
			return;
		}
		System.out.printf(Locale.ROOT, "%-10s %7s %12s %12s %7s%n", "CA key", "threads", "issued/s", "floor/s",
				"ratio");
		issuance.forEach((key, byThreads) -> byThreads.forEach((threads, s) -> System.out.printf(Locale.ROOT,
				"%-10s %7d %12.1f %12.1f %6.0f%%%n", key, threads, s[0], s[1], 100 * s[0] / s[1])));
	}

}
