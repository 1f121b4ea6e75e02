package org.certflow.web;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.request.IssuanceRuns;
import org.certflow.request.IssuanceRuns.Progress;
import org.certflow.request.RequestException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issuance runs for RA admins: "Issue now" and how far a run has come.
 */
@RestController
@RequestMapping("/api/v1/issuance-runs")
@Tag(name = "Issuance runs")
class IssuanceRunApiController {

	private final IssuanceRuns runs;

	IssuanceRunApiController(IssuanceRuns runs) {
		this.runs = runs;
	}

	@Operation(summary = "Start an issuance run now",
			description = "Claims every approved request of the classes that issue in batches that no run has "
					+ "claimed yet, and releases them to signing. A request approved after this call waits for "
					+ "the next run. Answers 202 with the run id.")
	@PostMapping
	ResponseEntity<Started> start(Principal admin) {
		String runId = this.runs.request(admin.getName());
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/issuance-runs/" + runId))
			.body(new Started(runId));
	}

	@Operation(summary = "How far an issuance run has come")
	@GetMapping("/{runId}")
	RunView run(@PathVariable String runId) {
		return this.runs.progress(runId)
			.map(RunView::of)
			.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
					"There is no issuance run " + runId + "."));
	}

	@Operation(summary = "The 50 newest issuance runs")
	@GetMapping
	List<RunView> recent() {
		return this.runs.recent(50).stream().map(RunView::of).toList();
	}

	/**
	 * A started run.
	 *
	 * @param runId the run id
	 */
	record Started(String runId) {
	}

	/**
	 * A run's progress.
	 *
	 * @param runId the run id
	 * @param startedBy the RA admin, or "schedule"
	 * @param requestedAt when it was asked for
	 * @param openedAt when it claimed its requests
	 * @param finishedAt when its last chunk was released
	 * @param claimed approved requests it took on
	 * @param released of those, sent to signing
	 * @param issued of those, with a certificate
	 * @param failed not released, refused by the CA, or cancelled
	 */
	record RunView(String runId, String startedBy, Instant requestedAt, Instant openedAt, Instant finishedAt,
			int claimed, int released, int issued, int failed) {

		static RunView of(Progress progress) {
			return new RunView(progress.runId(), progress.startedBy(), progress.requestedAt(), progress.openedAt(),
					progress.finishedAt(), progress.claimed(), progress.released(), progress.issued(),
					progress.failed());
		}

	}

}
