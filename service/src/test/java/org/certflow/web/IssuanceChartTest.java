package org.certflow.web;

import java.time.Instant;

import org.certflow.request.RaOverview.IssuedPerHour;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IssuanceChartTest {

	private static final Instant MONDAY_22H = Instant.parse("2026-11-23T22:00:00Z");

	@Test
	void drawsOneBarPerHourWithCertificatesScaledToTheBusiestHour() {
		int[] counts = new int[7 * 24];
		counts[0] = 4;
		counts[1] = 1;
		counts[5] = 400;

		IssuanceChart chart = IssuanceChart.of(new IssuedPerHour(MONDAY_22H, counts));

		assertThat(chart.bars()).hasSize(3);
		IssuanceChart.Bar busiest = chart.bars().get(2);
		assertThat(busiest.h()).isEqualTo(IssuanceChart.PLOT_HEIGHT);
		assertThat(busiest.y()).isEqualTo(chart.plotTop());
		assertThat(busiest.x()).isEqualTo(IssuanceChart.LEFT + 5 * IssuanceChart.BAR_WIDTH);
		assertThat(busiest.label()).isEqualTo("Tue 24 Nov 03:00 UTC: 400 issued");
		// One certificate beside hundreds still shows.
		assertThat(chart.bars().get(1).h()).isEqualTo(1);
		assertThat(chart.bars().get(1).y() + chart.bars().get(1).h()).isEqualTo(chart.plotBottom());
		assertThat(chart.maxLabel()).isEqualTo("400");
		assertThat(chart.total()).isEqualTo(405);
		assertThat(chart.summary()).isEqualTo(
				"405 certificates issued in the last 7 days; the busiest hour was Tue 24 Nov 03:00 UTC with 400.");
	}

	@Test
	void marksEachMidnightUtc() {
		IssuanceChart chart = IssuanceChart.of(new IssuedPerHour(MONDAY_22H, new int[7 * 24]));

		assertThat(chart.days()).hasSize(7);
		assertThat(chart.days().get(0).label()).isEqualTo("Tue 24 Nov");
		assertThat(chart.days().get(0).x()).isEqualTo(IssuanceChart.LEFT + 2 * IssuanceChart.BAR_WIDTH);
		assertThat(chart.bars()).isEmpty();
		assertThat(chart.summary()).isEqualTo("No certificates were issued in the last 7 days.");
		assertThat(chart.width()).isGreaterThan(IssuanceChart.LEFT + 7 * 24 * IssuanceChart.BAR_WIDTH);
	}

}
