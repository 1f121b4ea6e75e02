package org.certflow.ca.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Optional;

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

	private static final String OCSP = OcspCacheBenchmark.class.getName() + ".preProducedResponse";

	private CaBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		CommandLineOptions cli = new CommandLineOptions(args);
		List<Integer> threadCounts = cli.getThreads().hasValue() ? List.of(cli.getThreads().get()) : List.of(1, 2);
		List<RunResult> results = new ArrayList<>();
		for (int threads : threadCounts) {
			if (!cli.getIncludes().isEmpty()) {
				results.addAll(run(new OptionsBuilder().parent(cli).threads(threads)));
				continue;
			}
			// One run per CA key, so that a key's issuance and its floor are measured
			// minutes closer together than JMH's own order (all floors, then all
			// issuances) would: on a shared machine the load changes in between.
			for (String caKey : caKeys(cli)) {
				results.addAll(run(new OptionsBuilder().parent(cli)
					.threads(threads)
					.include(pattern(IssuanceBenchmark.class))
					.param("caKey", caKey)));
			}
			results.addAll(
					run(new OptionsBuilder().parent(cli).threads(threads).include(pattern(OcspCacheBenchmark.class))));
		}
		printSummary(results);
	}

	private static List<String> caKeys(CommandLineOptions cli) throws NoSuchFieldException {
		Optional<Collection<String>> given = cli.getParameter("caKey");
		if (given.hasValue()) {
			return List.copyOf(given.get());
		}
		return List.of(IssuanceBenchmark.class.getField("caKey").getAnnotation(Param.class).value());
	}

	private static String pattern(Class<?> benchmark) {
		return "^" + Pattern.quote(benchmark.getName()) + "\\.";
	}

	private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
		return new Runner(options.shouldFailOnError(true).addProfiler(CpuPerOperationProfiler.class).build()).run();
	}

	private static void printSummary(List<RunResult> results) {
		// caKey, then threads: {issued/s, floor/s, issue CPU us, floor CPU us}
		Map<String, Map<Integer, double[]>> issuance = new TreeMap<>();
		System.out.printf(Locale.ROOT, "%n%s: %d CPUs, %s %s%n", "CertFlow CA issuance against its crypto floor",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
				System.getProperty("java.version"));
		for (RunResult r : results) {
			String benchmark = r.getParams().getBenchmark();
			int threads = r.getParams().getThreads();
			double score = r.getPrimaryResult().getScore();
			double cpu = cpuMicros(r);
			if (benchmark.equals(OCSP)) {
				System.out.printf(Locale.ROOT,
						"OCSP, pre-produced response, %d thread(s): %,.0f responses/s, %.2f us CPU each%n", threads,
						score, cpu);
				continue;
			}
			int slot = benchmark.equals(ISSUE) ? 0 : benchmark.equals(FLOOR) ? 1 : -1;
			if (slot >= 0) {
				double[] row = issuance.computeIfAbsent(r.getParams().getParam("caKey"), (k) -> new TreeMap<>())
					.computeIfAbsent(threads, (t) -> new double[] { Double.NaN, Double.NaN, Double.NaN, Double.NaN });
				row[slot] = score;
				row[slot + 2] = cpu;
			}
		}
		if (issuance.isEmpty()) {
			return;
		}
		System.out.println("ratio: issued/s over floor/s; CPU ratio: floor CPU per operation over issuance CPU per "
				+ "certificate, which other load on the machine moves less");
		System.out.printf(Locale.ROOT, "%-10s %7s %10s %10s %6s %14s %14s %9s%n", "CA key", "threads", "issued/s",
				"floor/s", "ratio", "issue us CPU", "floor us CPU", "CPU ratio");
		issuance.forEach((key,
				byThreads) -> byThreads.forEach((threads, s) -> System.out.printf(Locale.ROOT,
						"%-10s %7d %10.1f %10.1f %5.0f%% %14.1f %14.1f %8.0f%%%n", key, threads, s[0], s[1],
						100 * s[0] / s[1], s[2], s[3], 100 * s[3] / s[2])));
	}

	private static double cpuMicros(RunResult r) {
		Result<?> cpu = r.getSecondaryResults().get(CpuPerOperationProfiler.LABEL);
		return (cpu != null) ? cpu.getScore() : Double.NaN;
	}

}
