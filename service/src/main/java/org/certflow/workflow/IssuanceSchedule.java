package org.certflow.workflow;

import java.util.List;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.calendar.CronTimer;
import org.camunda.bpm.engine.impl.persistence.entity.TimerEntity;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.certflow.processes.IssuanceBatchProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of issuance runs, {@code certflow.issuance.schedule}: a Quartz-style cron
 * expression (seconds first; default {@code 0 0 * * * ?}, every full hour), read by the
 * timer start event of {@code issuance-batch.bpmn} as {@code ${issuanceSchedule.cron}}.
 * <p>
 * The engine reads a timer start event's expression once, when the model is deployed. So
 * the model is deployed here, and deployed again as a new version when the configured
 * schedule differs from the one its timer runs on; the new version's timer replaces the
 * old one. Nodes with the same schedule deploy nothing new.
 */
@Component(IssuanceBatchProcess.Bean.SCHEDULE)
public class IssuanceSchedule implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(IssuanceSchedule.class);

	static final String DEPLOYMENT_NAME = "certflow-issuance-batch";

	private final String cron;

	private final RepositoryService repository;

	private final ManagementService management;

	IssuanceSchedule(@Value("${certflow.issuance.schedule:0 0 * * * ?}") String cron, RepositoryService repository,
			ManagementService management) {
		try {
			CronTimer.parse(cron.strip());
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"certflow.issuance.schedule is not a cron expression (six fields: seconds minutes "
							+ "hours day-of-month month day-of-week, e.g. \"0 0 * * * ?\" for every hour): " + cron,
					ex);
		}
		this.cron = cron.strip();
		this.repository = repository;
		this.management = management;
	}

	/**
	 * @return the cron expression runs start on
	 */
	public String getCron() {
		return this.cron;
	}

	@Override
	public void afterSingletonsInstantiated() {
		deploy(true);
		if (!this.cron.equals(scheduledCron())) {
			log.info("Issuance schedule changed to \"{}\": deploying the issuance batch model again", this.cron);
			deploy(false);
		}
		log.info("Issuance runs start on the schedule \"{}\"", this.cron);
	}

	private void deploy(boolean filterDuplicates) {
		this.repository.createDeployment()
			.name(DEPLOYMENT_NAME)
			.source(ProcessDeployment.DEPLOYMENT_SOURCE)
			.enableDuplicateFiltering(filterDuplicates)
			.addClasspathResource(IssuanceBatchProcess.BPMN_RESOURCE)
			.deploy();
	}

	/** The cron the newest version's timer runs on, or null when it has none. */
	String scheduledCron() {
		ProcessDefinition newest = this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(IssuanceBatchProcess.KEY)
			.latestVersion()
			.singleResult();
		if (newest == null) {
			return null;
		}
		List<Job> timers = this.management.createJobQuery().processDefinitionId(newest.getId()).timers().list();
		return timers.stream()
			.filter(TimerEntity.class::isInstance)
			.map((job) -> ((TimerEntity) job).getRepeat())
			.findFirst()
			.orElse(null);
	}

}
