package org.certflow.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.certflow.request.RaOverview.IssuedPerHour;

/**
 * Geometry of the issued-per-hour bar chart, computed here so that the template only
 * places SVG elements (no script, no inline style: the console's CSP allows neither).
 * Times are UTC, as the page says.
 */
record IssuanceChart(int width, int height, int plotTop, int plotBottom, int max, int total, List<Bar> bars,
		List<DayMark> days, String summary) {

	static final int BAR_WIDTH = 4;

	static final int LEFT = 36;

	static final int TOP = 12;

	static final int PLOT_HEIGHT = 150;

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("EEE d MMM HH:00", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	static IssuanceChart of(IssuedPerHour issued) {
		int[] counts = issued.counts();
		int max = Math.max(1, issued.max());
		int plotBottom = TOP + PLOT_HEIGHT;
		List<Bar> bars = new ArrayList<>();
		List<DayMark> days = new ArrayList<>();
		int busiest = 0;
		for (int hour = 0; hour < counts.length; hour++) {
			Instant start = issued.firstHour().plusSeconds(3600L * hour);
			int x = LEFT + hour * BAR_WIDTH;
			int height = (int) Math.round((double) counts[hour] * PLOT_HEIGHT / max);
			if (counts[hour] > 0) {
				// At least one pixel, so that a lone certificate beside a busy hour
				// shows.
				height = Math.max(1, height);
				bars.add(new Bar(x, plotBottom - height, BAR_WIDTH - 1, height,
						HOUR.format(start) + " UTC: " + counts[hour] + " issued"));
			}
			if (start.atZone(ZoneOffset.UTC).getHour() == 0) {
				days.add(new DayMark(x, DAY.format(start)));
			}
			if (counts[hour] > counts[busiest]) {
				busiest = hour;
			}
		}
		int total = issued.total();
		String summary = (total == 0) ? "No certificates were issued in the last " + counts.length / 24 + " days."
				: total + " certificates issued in the last " + counts.length / 24 + " days; the busiest hour was "
						+ HOUR.format(issued.firstHour().plusSeconds(3600L * busiest)) + " UTC with " + counts[busiest]
						+ ".";
		return new IssuanceChart(LEFT + counts.length * BAR_WIDTH + 8, plotBottom + 24, TOP, plotBottom, issued.max(),
				total, bars, days, summary);
	}

	/** Where the plot starts, right of the scale. */
	public int left() {
		return LEFT;
	}

	/** The label of the top of the scale. */
	public String maxLabel() {
		return Integer.toString(Math.max(1, this.max));
	}

	/**
	 * One hour's bar, with its tooltip.
	 *
	 * @param x left edge
	 * @param y top edge
	 * @param w width
	 * @param h height
	 * @param label hour and count
	 */
	record Bar(int x, int y, int w, int h, String label) {
	}

	/**
	 * Midnight UTC: a grid line with the day's name.
	 *
	 * @param x position
	 * @param label the day
	 */
	record DayMark(int x, String label) {
	}

}
