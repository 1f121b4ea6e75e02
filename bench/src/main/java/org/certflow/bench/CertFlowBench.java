package org.certflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.certflow.bench.BenchOptions.UsageException;
import org.certflow.bench.CertFlowClient.RequestState;

/**
 * Measures how fast CertFlow turns approvals into certificates, against what the same
 * engine does for a bare start, sign, end on the same database and JVM options (issue 7,
 * "Signing at the engine's speed"). It prints figures and never asserts: a missed target
 * is a finding, not a failure, so the exit code is 0 whenever the run itself worked.
 *
 * <p>
 * The order is fixed so that the two sides never share the machine: first the yardstick,
 * alone; then the service, warmed up, then phase A (N requests prepared, then approved at
 * once), phase B (N requests driven from invitation to certificate), and the short-queue
 * probe (one approval at a time); after the service has stopped, the yardstick once more.
 * The ratios use the faster of the two yardstick runs, so that other work on a shared
 * machine during one of them does not flatter the service.
 */
public final class CertFlowBench {

	/** Yardstick instances run before its clock starts, for the JIT. */
	private static final int YARDSTICK_WARMUP = 100;

	private static final Duration YARDSTICK_TIMEOUT = Duration.ofMinutes(15);

	/** How long a sweep of status reads may be put off while signing tasks are open. */
	private static final Duration SWEEP_AT_LEAST_EVERY = Duration.ofSeconds(10);

	private static final List<String> DEAD_ENDS = List.of("REJECTED", "EXPIRED", "REVOKED", "DEFERRED");

	private final BenchOptions options;

	private CertFlowClient client;

	private ExecutorService pool;

	/**
	 * The machine's one-minute load average as each measurement began: the benchmark
	 * cannot keep other work off the cores, but it can say that there was some.
	 */
	private final Map<String, Double> loads = new LinkedHashMap<>();

	/** Whether the service recorded some issuance times in whole seconds only. */
	private volatile boolean wholeSecondRecords;

	private CertFlowBench(BenchOptions options) {
		this.options = options;
	}

	public static void main(String[] args) {
		// Before any logger exists: the engine's INFO lines would bury the figures.
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		if (args.length > 0 && args[0].equals("yardstick")) {
			Yardstick.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (UsageException ex) {
			if (ex.getMessage() != null) {
				System.err.println(ex.getMessage());
			}
			System.err.print(BenchOptions.USAGE);
			System.exit((ex.getMessage() != null) ? 2 : 0);
			return;
		}
		try {
			new CertFlowBench(options).run();
		}
		catch (Exception ex) {
			System.err.println("The benchmark could not finish: " + ex.getMessage());
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private void run() throws IOException, InterruptedException, ExecutionException {
		Path work = Files.createTempDirectory("certflow-bench-");
		int n = this.options.approvals();
		say("CertFlow benchmark on %s: %d approvals, %d client threads, JVM options %s, %d cores; work dir %s",
				this.options.database().label(), n, this.options.threads(), String.join(" ", this.options.jvmArgs()),
				Runtime.getRuntime().availableProcessors(), work);
		try {
			double before = yardstick(work, "before");
			say("yardstick: %s", Figures.rate(before));
			List<Tracked> approved;
			List<Tracked> endToEnd;
			List<Tracked> probes;
			Path dataDir = Files.createDirectories(work.resolve("service").resolve("data"));
			this.pool = Executors.newFixedThreadPool(this.options.threads());
			try (ScratchDatabase database = ScratchDatabase.create(this.options, dataDir, "service");
					ServiceUnderTest service = ServiceUnderTest.start(this.options, dataDir, database)) {
				say("service up on port %d (%s), log %s", service.httpPort(), database.describe(), service.log());
				this.client = new CertFlowClient(service.httpPort(), service.imapPort());
				if (this.options.warmup() > 0) {
					say("warm-up: %d requests end to end", this.options.warmup());
					endToEnd(this.options.warmup());
				}
				say("phase A: preparing %d submitted requests", n);
				approved = prepare(n);
				say("phase A: approving all %d at once", n);
				noteLoad("phase A");
				approveAtOnce(approved);
				say("phase B: %d requests from invitation to certificate", n);
				noteLoad("phase B");
				endToEnd = endToEnd(n);
				say("probe: %d approvals one at a time", this.options.probes());
				noteLoad("probe");
				probes = probeOneAtATime();
			}
			finally {
				this.pool.shutdownNow();
			}
			double after = yardstick(work, "after");
			say("yardstick: %s", Figures.rate(after));
			report(before, after, approved, endToEnd, probes);
		}
		finally {
			if (this.options.keep()) {
				say("kept %s", work);
			}
			else {
				Jvms.deleteTree(work);
			}
		}
	}

	// --- yardstick

	private double yardstick(Path work, String when) throws IOException, InterruptedException {
		Path dir = Files.createDirectories(work.resolve("yardstick-" + when));
		Path log = work.resolve("yardstick-" + when + ".log");
		try (ScratchDatabase database = ScratchDatabase.create(this.options, dir, "yardstick")) {
			say("yardstick: %d + %d warm-up instances of start, sign (%s), end on %s", this.options.approvals(),
					YARDSTICK_WARMUP, this.options.keyAlgorithm().setting(), database.describe());
			List<String> command = Jvms.self(this.options.jvmArgs(),
					List.of("yardstick", "--jdbc-url", database.jdbcUrl(), "--db-user", database.user(),
							"--database-type", database.engineDatabaseType(), "--instances",
							String.valueOf(this.options.approvals()), "--warmup", String.valueOf(YARDSTICK_WARMUP),
							"--key-algorithm", this.options.keyAlgorithm().setting()));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.directory(dir.toFile());
			builder.environment().put(BenchOptions.PASSWORD_VARIABLE, database.password());
			noteLoad("yardstick " + when);
			Process process = builder.start();
			if (!process.waitFor(YARDSTICK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
				throw new IllegalStateException("The yardstick did not finish within " + YARDSTICK_TIMEOUT);
			}
			for (String line : Files.readAllLines(log)) {
				if (line.startsWith(Yardstick.RESULT_PREFIX)) {
					String[] fields = line.substring(Yardstick.RESULT_PREFIX.length()).split(" ");
					double instances = Double.parseDouble(fields[0].substring("instances=".length()));
					double seconds = Double.parseDouble(fields[1].substring("seconds=".length()));
					return instances / seconds;
				}
			}
			throw new IllegalStateException(
					"The yardstick failed (exit " + process.exitValue() + "):\n" + Jvms.tail(log, 40));
		}
	}

	// --- phases

	/** Invites, reads the mail, submits and waits for the officer's task, N times. */
	private List<Tracked> prepare(int count) throws InterruptedException, ExecutionException {
		List<Tracked> requests = new ArrayList<>();
		List<Callable<Void>> steps = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Tracked request = new Tracked();
			requests.add(request);
			steps.add(() -> {
				submitted(request);
				return null;
			});
		}
		all(steps);
		return requests;
	}

	private void submitted(Tracked request) throws InterruptedException {
		request.startedAt(Instant.now());
		request.requestId(this.client.invite(request.email()));
		this.client.submit(this.client.invitationToken(request.email()), request.email());
		request.taskId(this.client.awaitOfficerTask(request.requestId()));
	}

	private void approve(Tracked request) {
		request.approvedAt(Instant.now());
		this.client.approve(request.taskId());
	}

	private void approveAtOnce(List<Tracked> requests) throws InterruptedException, ExecutionException {
		List<Callable<Void>> approvals = new ArrayList<>();
		for (Tracked request : requests) {
			approvals.add(() -> {
				approve(request);
				return null;
			});
		}
		all(approvals);
		awaitIssued(requests);
	}

	private List<Tracked> endToEnd(int count) throws InterruptedException, ExecutionException {
		List<Tracked> requests = new ArrayList<>();
		List<Callable<Void>> steps = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Tracked request = new Tracked();
			requests.add(request);
			steps.add(() -> {
				submitted(request);
				approve(request);
				return null;
			});
		}
		all(steps);
		awaitIssued(requests);
		return requests;
	}

	/**
	 * Approves one request at a time and waits for its certificate before the next, so
	 * the signer's queue never holds more than one task.
	 */
	private List<Tracked> probeOneAtATime() throws InterruptedException, ExecutionException {
		List<Tracked> requests = prepare(this.options.probes());
		for (Tracked request : requests) {
			approve(request);
			Instant until = Instant.now().plus(Duration.ofSeconds(60));
			RequestState state = this.client.state(request.requestId());
			while (!state.issued()) {
				failOnDeadEnd(request, state);
				if (Instant.now().isAfter(until)) {
					throw new IllegalStateException("Request " + request.requestId() + " was not issued within 60 s");
				}
				Thread.sleep(50);
				state = this.client.state(request.requestId());
			}
			request.issuedAt(issuedAt(state, Instant.now()));
		}
		return requests;
	}

	/**
	 * Waits until every request is ISSUED. Every status read costs the service several
	 * milliseconds of CPU it would otherwise spend signing, so while the engine still has
	 * signing tasks open the benchmark asks only for their count (one query every 200 ms)
	 * and reads the statuses once that count is zero, or every 10 s so that a stuck
	 * request is noticed.
	 */
	private void awaitIssued(List<Tracked> requests) throws InterruptedException {
		Instant until = Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(requests.size());
		List<Tracked> pending = new ArrayList<>(requests);
		Instant lastSweep = Instant.now();
		while (!pending.isEmpty()) {
			if (Instant.now().isAfter(until)) {
				throw new IllegalStateException(pending.size() + " of " + requests.size()
						+ " approved requests were not issued in time, for example " + pending.get(0).requestId());
			}
			OptionalLong open = this.client.openSigningTasks();
			Instant answeredAt = Instant.now();
			boolean allSigned = open.isPresent() && open.getAsLong() == 0;
			if (open.isEmpty() || allSigned
					|| Duration.between(lastSweep, answeredAt).compareTo(SWEEP_AT_LEAST_EVERY) > 0) {
				lastSweep = answeredAt;
				pending.removeIf((request) -> {
					RequestState state = this.client.state(request.requestId());
					failOnDeadEnd(request, state);
					if (state.issued()) {
						// A request is ISSUED no later than its signing task ends (the
						// signer records the certificate, then completes the task), so
						// "no task open" already told us it was issued.
						request.issuedAt(issuedAt(state, allSigned ? answeredAt : Instant.now()));
						return true;
					}
					return false;
				});
			}
			if (!pending.isEmpty()) {
				Thread.sleep(200);
			}
		}
	}

	/**
	 * When the request was issued: the service's own record of it, when that record keeps
	 * fractions of a second (H2 does). Where it holds whole seconds only (MariaDB today),
	 * the true time lies within the second after it, and no later than the moment the
	 * benchmark learned of it; the earlier of these two bounds is taken.
	 */
	private Instant issuedAt(RequestState state, Instant knownBy) {
		Instant recorded = state.updatedAt();
		if (recorded == null) {
			return knownBy;
		}
		if (recorded.getNano() != 0) {
			return recorded;
		}
		this.wholeSecondRecords = true;
		Instant latest = recorded.plusSeconds(1);
		return latest.isBefore(knownBy) ? latest : knownBy;
	}

	private static void failOnDeadEnd(Tracked request, RequestState state) {
		if (DEAD_ENDS.contains(state.status())) {
			throw new IllegalStateException(
					"Request " + request.requestId() + " ended " + state.status() + " instead of ISSUED");
		}
	}

	private void all(List<Callable<Void>> steps) throws InterruptedException, ExecutionException {
		List<Future<Void>> futures = new ArrayList<>();
		for (Callable<Void> step : steps) {
			futures.add(this.pool.submit(step));
		}
		try {
			for (Future<Void> future : futures) {
				future.get();
			}
		}
		finally {
			futures.forEach((future) -> future.cancel(true));
		}
	}

	// --- report

	private void report(double before, double after, List<Tracked> approved, List<Tracked> endToEnd,
			List<Tracked> probes) {
		double yardstick = Math.max(before, after);
		double approvedRate = Figures.perSecond(approved, Tracked::approvedAt);
		double endToEndRate = Figures.perSecond(endToEnd, Tracked::startedAt);
		List<Duration> approvalLatency = Figures.latencies(approved, Tracked::approvedAt);
		List<Duration> endToEndLatency = Figures.latencies(endToEnd, Tracked::startedAt);
		List<Duration> probeLatency = Figures.latencies(probes, Tracked::approvedAt);
		Duration probeMedian = Figures.percentile(probeLatency, 50);
		int n = this.options.approvals();
		System.out.println();
		System.out.printf(Locale.ROOT, "CertFlow on %s, N = %d, %d client threads, JVM %s%n",
				this.options.database().label(), n, this.options.threads(), String.join(" ", this.options.jvmArgs()));
		System.out.println();
		System.out.println("| measure | value | target |");
		System.out.println("|---|---|---|");
		row("yardstick: bare engine, start → sign (" + this.options.keyAlgorithm().setting() + ") → end, 1 thread",
				Figures.rate(yardstick) + " (runs before and after the service: " + Figures.rate(before) + ", "
						+ Figures.rate(after) + ")",
				"");
		row("approved → issued, " + n + " approved at once", Figures.rate(approvedRate),
				verdict(approvedRate / yardstick, 0.70));
		row("end to end, invitation → issued, " + n + " requests", Figures.rate(endToEndRate),
				verdict(endToEndRate / yardstick, 0.35));
		row("latency approval → issued, " + n + " at once",
				"median " + Figures.time(Figures.percentile(approvalLatency, 50)) + ", p95 "
						+ Figures.time(Figures.percentile(approvalLatency, 95)),
				"");
		row("latency invitation → issued, end to end", "median " + Figures.time(Figures.percentile(endToEndLatency, 50))
				+ ", p95 " + Figures.time(Figures.percentile(endToEndLatency, 95)), "");
		row("latency approval → issued, one at a time (" + probes.size() + ")",
				"median " + Figures.time(probeMedian) + ", max "
						+ Figures.time(probeLatency.get(probeLatency.size() - 1)),
				"< 1 s: " + ((probeMedian.compareTo(Duration.ofSeconds(1)) < 0) ? "met" : "missed"));
		StringBuilder loads = new StringBuilder();
		this.loads.forEach((phase, load) -> loads.append((loads.length() > 0) ? ", " : "")
			.append(phase)
			.append(' ')
			.append(String.format(Locale.ROOT, "%.1f", load)));
		row("load average (1 min) as each began, " + Runtime.getRuntime().availableProcessors() + " cores",
				loads.toString(), "");
		System.out.println();
		System.out.println(this.wholeSecondRecords
				? "Issuance times: the service recorded whole seconds only; each is the earlier of that second's end "
						+ "and the moment the benchmark learned of it (status read, or no signing task left)."
				: "Issuance times: the service's own record of each request (updatedAt when ISSUED).");
	}

	private void noteLoad(String phase) {
		this.loads.put(phase, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	private static String verdict(double ratio, double target) {
		return Figures.percent(ratio) + " of yardstick (≥ " + Figures.percent(target) + ": "
				+ ((ratio >= target) ? "met" : "missed") + ")";
	}

	private static void row(String measure, String value, String target) {
		System.out.println("| " + measure + " | " + value + " | " + target + " |");
	}

	private static void say(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(java.time.LocalTime.now(), args));
	}

	private static Object[] prepend(Object first, Object[] rest) {
		Object[] all = new Object[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}

}
