package org.certflow.processes;

import java.time.Instant;
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
import org.certflow.processes.ExpiryNoticeProcess.Bean;
import org.certflow.processes.ExpiryNoticeProcess.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

@Deployment(resources = ExpiryNoticeProcess.BPMN_RESOURCE)
class ExpiryNoticeProcessTest {

	@RegisterExtension
	static ProcessEngineCoverageExtension engine = ProcessEngineCoverageExtension.builder()
		.assertClassCoverageAtLeast(1.0)
		.build();

	// A Sunday.
	private static final Instant NOW = Instant.parse("2026-11-29T10:20:00Z");

	private final List<String> calls = new ArrayList<>();

	private boolean digestDay;

	@BeforeEach
	void registerStubs() {
		BpmnAwareTests.init(engine.getProcessEngine());
		ClockUtil.setCurrentTime(Date.from(NOW));
		Mocks.register(Bean.SEND_NOTICES, (JavaDelegate) (execution) -> this.calls.add("notices"));
		Mocks.register(Bean.SEND_DIGEST, (JavaDelegate) (execution) -> this.calls.add("digest"));
		Mocks.register(Bean.CALENDAR, new Calendar());
	}

	@AfterEach
	void reset() {
		Mocks.reset();
		ClockUtil.reset();
	}

	@Test
	void noticesGoOutEveryDayAt6AndTheAdminsListOnTheDigestDay() {
		Job daily = timer();
		assertThat(daily.getDuedate().toInstant()).isEqualTo(Instant.parse("2026-11-30T06:00:00Z"));

		this.digestDay = false;
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-30T06:00:00Z")));
		managementService().executeJob(daily.getId());
		ProcessInstance ordinary = only();
		assertThat(ordinary).isWaitingAt(Element.SEND_NOTICES);
		managementService().executeJob(jobOf(ordinary).getId());
		assertThat(ordinary).hasPassed(Element.GATEWAY_DIGEST_DAY, Element.END_NOTICES_SENT)
			.hasNotPassed(Element.SEND_DIGEST)
			.isEnded();
		Job next = timer();
		assertThat(next.getDuedate().toInstant()).isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));

		this.digestDay = true;
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-12-01T06:00:00Z")));
		managementService().executeJob(next.getId());
		ProcessInstance digest = only();
		managementService().executeJob(jobOf(digest).getId());
		assertThat(digest).isWaitingAt(Element.SEND_DIGEST);
		managementService().executeJob(jobOf(digest).getId());
		assertThat(digest).hasPassed(Element.SEND_DIGEST, Element.END_DIGEST_SENT).isEnded();
		assertThat(this.calls).containsExactly("notices", "notices", "digest");
	}

	@Test
	void aRunThatFailsIsTriedAgainAfterASecond() {
		boolean[] failed = { false };
		Mocks.register(Bean.SEND_NOTICES, (JavaDelegate) (execution) -> {
			if (!failed[0]) {
				failed[0] = true;
				throw new IllegalStateException("Deadlock detected");
			}
			this.calls.add("notices");
		});
		managementService().executeJob(timer().getId());
		ProcessInstance notices = only();
		Job job = jobOf(notices);
		assertThatThrownBy(() -> managementService().executeJob(job.getId())).hasMessageContaining("Deadlock");
		Job again = managementService().createJobQuery().jobId(job.getId()).singleResult();
		assertThat(again.getRetries()).isEqualTo(ExpiryNoticeProcess.RETRY_INTERVALS.split(",").length);
		assertThat(again.getDuedate().toInstant()).isEqualTo(NOW.plusSeconds(1));
		managementService().executeJob(again.getId());
		assertThat(notices).isEnded();
		assertThat(this.calls).containsExactly("notices");
	}

	private static Job timer() {
		return managementService().createJobQuery().timers().activityId(Element.START_DAILY).singleResult();
	}

	/** The gateway's question. */
	public final class Calendar {

		public boolean isDigestDay() {
			return ExpiryNoticeProcessTest.this.digestDay;
		}

	}

	private static ProcessInstance only() {
		return runtimeService().createProcessInstanceQuery()
			.processDefinitionKey(ExpiryNoticeProcess.KEY)
			.active()
			.singleResult();
	}

	private static Job jobOf(ProcessInstance instance) {
		return managementService().createJobQuery().processInstanceId(instance.getId()).singleResult();
	}

}
