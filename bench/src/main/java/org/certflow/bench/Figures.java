package org.certflow.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Rates and latencies from the times the phases recorded. */
final class Figures {

	private Figures() {
	}

	/**
	 * Certificates per second over the whole phase: from the first request's start to the
	 * last one's issuance, so that a slow tail counts.
	 */
	static double perSecond(List<Tracked> requests, Function<Tracked, Instant> start) {
		Instant first = requests.stream().map(start).min(Instant::compareTo).orElseThrow();
		Instant last = requests.stream().map(Tracked::issuedAt).max(Instant::compareTo).orElseThrow();
		return requests.size() / seconds(Duration.between(first, last));
	}

	static List<Duration> latencies(List<Tracked> requests, Function<Tracked, Instant> start) {
		List<Duration> latencies = new ArrayList<>();
		for (Tracked request : requests) {
			latencies.add(Duration.between(start.apply(request), request.issuedAt()));
		}
		Collections.sort(latencies);
		return latencies;
	}

	/** Nearest-rank percentile of sorted values. */
	static Duration percentile(List<Duration> sorted, int percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

	static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	static String rate(double perSecond) {
		return String.format(Locale.ROOT, "%.1f/s", perSecond);
	}

	static String time(Duration duration) {
		return (duration.toMillis() < 10_000) ? duration.toMillis() + " ms"
				: String.format(Locale.ROOT, "%.1f s", seconds(duration));
	}

	static String percent(double ratio) {
		return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
	}

}
