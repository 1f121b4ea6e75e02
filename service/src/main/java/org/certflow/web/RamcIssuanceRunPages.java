package org.certflow.web;

import java.security.Principal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.http.HttpServletResponse;
import org.certflow.request.IssuanceRuns;
import org.certflow.request.IssuanceRuns.Progress;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * RAMC: issuance runs. RA admins see the recent runs and start one at once ("Issue now");
 * a run's page refreshes itself until everything it claimed has a certificate.
 */
@Controller
@RequestMapping("/ramc/issuance-runs")
class RamcIssuanceRunPages {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final IssuanceRuns runs;

	RamcIssuanceRunPages(IssuanceRuns runs) {
		this.runs = runs;
	}

	@GetMapping
	ModelAndView list(Principal user) {
		return page("ramc/issuance-runs", "Issuance runs", user).addObject("runs",
				this.runs.recent(50).stream().map(RunRow::of).toList());
	}

	@PostMapping
	ModelAndView issueNow(Principal user) {
		String runId = this.runs.request(user.getName());
		// Post/redirect/get: reloading the run's page starts nothing.
		return new ModelAndView("redirect:/ramc/issuance-runs/" + runId);
	}

	@GetMapping("/{runId}")
	ModelAndView run(@PathVariable String runId, Principal user, HttpServletResponse response) {
		return this.runs.progress(runId).map((progress) -> {
			RunRow row = RunRow.of(progress);
			if (!row.done()) {
				// The page refreshes itself (an HTTP header: the console's policy allows
				// no
				// script of ours here) until the run is complete.
				response.setHeader("Refresh", "3");
			}
			return page("ramc/issuance-run", "Issuance run", user).addObject("run", row);
		}).orElseGet(() -> {
			ModelAndView page = page("ramc/issuance-runs", "Issuance runs", user)
				.addObject("runs", this.runs.recent(50).stream().map(RunRow::of).toList())
				.addObject("formError", "There is no issuance run " + runId + ".");
			page.setStatus(HttpStatus.NOT_FOUND);
			return page;
		});
	}

	private static ModelAndView page(String view, String title, Principal user) {
		return new ModelAndView(view).addObject("title", title)
			.addObject("section", "issuance-runs")
			.addObject("user", (user != null) ? user.getName() : null);
	}

	/**
	 * A run as the pages show it.
	 *
	 * @param runId the run id
	 * @param startedBy who started it
	 * @param requestedAt when, formatted
	 * @param finishedAt when the last chunk was released, formatted, or empty
	 * @param claimed requests taken on
	 * @param released sent to signing
	 * @param issued with a certificate
	 * @param failed not released, refused or cancelled
	 * @param done whether nothing more will change
	 * @param percent issued and failed out of claimed, 0-100
	 */
	record RunRow(String runId, String startedBy, String requestedAt, String finishedAt, int claimed, int released,
			int issued, int failed, boolean done, int percent) {

		static RunRow of(Progress p) {
			int settled = p.issued() + p.failed();
			boolean done = p.openedAt() != null && p.finishedAt() != null && settled >= p.claimed();
			int percent = (p.claimed() == 0) ? ((p.openedAt() != null) ? 100 : 0) : (100 * settled / p.claimed());
			return new RunRow(p.runId(), p.startedBy(), TIME.format(p.requestedAt()),
					(p.finishedAt() != null) ? TIME.format(p.finishedAt()) : "", p.claimed(), p.released(), p.issued(),
					p.failed(), done, Math.min(percent, 100));
		}

	}

}
