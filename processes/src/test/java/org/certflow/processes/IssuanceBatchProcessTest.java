package org.certflow.processes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.certflow.processes.IssuanceBatchProcess.Bean;
import org.certflow.processes.IssuanceBatchProcess.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

/**
 * Drives {@code issuance-batch.bpmn} with stubbed delegates: a run started by the
 * schedule or by "Issue now" opens, releases chunk after chunk, each its own job, until
 * nothing is left.
 */
@Deployment(resources = IssuanceBatchProcess.BPMN_RESOURCE)
class IssuanceBatchProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension engine = ProcessEngineCoverageExtension.builder()
		.assertClassCoverageAtLeast(1.0)
		.build();

	private static final Instant NOW = Instant.parse("2026-11-30T10:20:00Z");

	private final List<String> calls = new ArrayList<>();

	private int chunksLeft;

	@BeforeEach
	void registerStubs() {
		BpmnAwareTests.init(engine.getProcessEngine());
		ClockUtil.setCurrentTime(Date.from(NOW));
		Mocks.register(Bean.SCHEDULE, new Schedule("0 0 * * * ?"));
		Mocks.register(Bean.OPEN_RUN, (JavaDelegate) (execution) -> {
			if (execution.getProcessBusinessKey() == null) {
				execution.setProcessBusinessKey("RUN-scheduled");
			}
			this.calls.add("open " + execution.getProcessBusinessKey());
		});
		Mocks.register(Bean.RELEASE_CHUNK, (JavaDelegate) (execution) -> {
			this.calls.add("release " + execution.getProcessBusinessKey());
			this.chunksLeft--;
		});
		Mocks.register(Bean.RUNS, new Runs());
	}

	@AfterEach
	void reset() {
		Mocks.reset();
		ClockUtil.reset();
	}

	@Test
	void theScheduleStartsARunAtTheNextFullHourAndEveryHourAfter() {
		Job timer = managementService().createJobQuery().timers().singleResult();
		assertThat(timer).as("the schedule's timer").isNotNull();
		assertThat(timer.getDuedate().toInstant()).isEqualTo(Instant.parse("2026-11-30T11:00:00Z"));

		this.chunksLeft = 1;
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-30T11:00:00Z")));
		managementService().executeJob(timer.getId());
		ProcessInstance run = runtimeService().createProcessInstanceQuery()
			.processDefinitionKey(IssuanceBatchProcess.KEY)
			.singleResult();
		assertThat(run).isWaitingAt(Element.RELEASE_CHUNK);
		execute(job());
		assertThat(run).hasPassed(Element.GATEWAY_MORE_TO_RELEASE).isEnded();
		assertThat(this.calls).containsExactly("open RUN-scheduled", "release RUN-scheduled");
		Job next = managementService().createJobQuery().timers().singleResult();
		assertThat(next.getDuedate().toInstant())
			.isEqualTo(Instant.parse("2026-11-30T12:00:00Z").atZone(ZoneOffset.UTC).toInstant());
	}

	@Test
	void issueNowStartsARunUnderItsIdThatReleasesChunkByChunkEachInItsOwnJob() {
		this.chunksLeft = 3;
		ProcessInstance run = runtimeService().createMessageCorrelation(IssuanceBatchProcess.MESSAGE_RUN_REQUESTED)
			.processInstanceBusinessKey("RUN-now")
			.correlateStartMessage();
		assertThat(run).hasPassed(Element.OPEN_RUN).isWaitingAt(Element.RELEASE_CHUNK);
		execute(job());
		assertThat(run).isWaitingAt(Element.RELEASE_CHUNK);
		execute(job());
		assertThat(run).isWaitingAt(Element.RELEASE_CHUNK);
		execute(job());
		assertThat(run).hasPassed(Element.END_ALL_RELEASED).isEnded();
		assertThat(this.calls).containsExactly("open RUN-now", "release RUN-now", "release RUN-now", "release RUN-now");
	}

	@Test
	void aReleaseThatFailsIsTriedAgainAfterASecondNotAfterMinutes() {
		// A deadlock loser: the database rolled the chunk back; run again, it goes
		// through.
		this.chunksLeft = 1;
		boolean[] failed = { false };
		Mocks.register(Bean.RELEASE_CHUNK, (JavaDelegate) (execution) -> {
			if (!failed[0]) {
				failed[0] = true;
				throw new IllegalStateException("Deadlock detected");
			}
			this.chunksLeft--;
		});
		ProcessInstance run = runtimeService().createMessageCorrelation(IssuanceBatchProcess.MESSAGE_RUN_REQUESTED)
			.processInstanceBusinessKey("RUN-deadlock")
			.correlateStartMessage();
		Job release = managementService().createJobQuery().processInstanceId(run.getId()).singleResult();
		assertThatThrownBy(() -> managementService().executeJob(release.getId()))
			.hasMessageContaining("Deadlock detected");
		Job again = managementService().createJobQuery().jobId(release.getId()).singleResult();
		// The engine gives the job one retry per interval after its first failure.
		assertThat(again.getRetries()).isEqualTo(IssuanceBatchProcess.RELEASE_RETRY_INTERVALS.split(",").length);
		assertThat(again.getDuedate().toInstant()).isEqualTo(NOW.plusSeconds(1));
		execute(again);
		assertThat(run).isEnded();
	}

	/** The schedule as the service exposes it to the timer. */
	public static final class Schedule {

		private final String cron;

		Schedule(String cron) {
			this.cron = cron;
		}

		public String getCron() {
			return this.cron;
		}

	}

	/** The loop gateway's question. */
	public final class Runs {

		public boolean moreToRelease(String runId) {
			return IssuanceBatchProcessTest.this.chunksLeft > 0;
		}

	}

}
