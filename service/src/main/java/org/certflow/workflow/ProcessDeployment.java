package org.certflow.workflow;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.certflow.processes.CertificateRequestProcess;
import org.certflow.processes.ExpiryNoticeProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Deploys the models and forms that ship in the jars under stable resource names, so that
 * a form key {@code camunda-forms:deployment:validate-application.form} resolves.
 * Duplicate filtering leaves an unchanged model alone; a model a designer deployed from
 * the Modeler stays the newest version until the shipped one changes.
 * <p>
 * Requests still running on an older shipped model are moved to the newest shipped one:
 * older models read routing from process variables, which task users could once write.
 */
@Component
class ProcessDeployment implements SmartInitializingSingleton {

	static final String DEPLOYMENT_NAME = "certflow";

	private static final Logger log = LoggerFactory.getLogger(ProcessDeployment.class);

	static final String DEPLOYMENT_SOURCE = "certflow-service";

	private final RepositoryService repository;

	private final RuntimeService runtime;

	ProcessDeployment(RepositoryService repository, RuntimeService runtime) {
		this.repository = repository;
		this.runtime = runtime;
	}

	@Override
	public void afterSingletonsInstantiated() {
		DeploymentWithDefinitions deployment = this.repository.createDeployment()
			.name(DEPLOYMENT_NAME)
			.source(DEPLOYMENT_SOURCE)
			.enableDuplicateFiltering(true)
			.addClasspathResource(CertificateRequestProcess.BPMN_RESOURCE)
			.addClasspathResource(CertificateRequestProcess.DMN_RESOURCE)
			.addClasspathResource(CertificateRequestProcess.VALIDATION_FORM_RESOURCE)
			.deployWithResult();
		log.info("Process deployment {} ({})", deployment.getId(), deployment.getDeployedProcessDefinitions() == null
				? "unchanged" : deployment.getDeployedProcessDefinitions().size() + " process definitions");
		// A deployment of its own: the daily run has no version migration to follow.
		this.repository.createDeployment()
			.name(DEPLOYMENT_NAME + "-expiry-notices")
			.source(DEPLOYMENT_SOURCE)
			.enableDuplicateFiltering(true)
			.addClasspathResource(ExpiryNoticeProcess.BPMN_RESOURCE)
			.deploy();
		migrateToTheNewestShippedModel();
	}

	/**
	 * Moves running requests of older versions to the newest version, when that one is
	 * ours. Element ids are stable across our versions, so every wait state maps to its
	 * namesake; timers keep their due dates.
	 */
	void migrateToTheNewestShippedModel() {
		ProcessDefinition newest = this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(CertificateRequestProcess.KEY)
			.latestVersion()
			.singleResult();
		if (newest == null || !DEPLOYMENT_SOURCE.equals(this.repository.createDeploymentQuery()
			.deploymentId(newest.getDeploymentId())
			.singleResult()
			.getSource())) {
			return;
		}
		for (ProcessDefinition older : this.repository.createProcessDefinitionQuery()
			.processDefinitionKey(CertificateRequestProcess.KEY)
			.list()) {
			long running = this.runtime.createProcessInstanceQuery().processDefinitionId(older.getId()).count();
			if (older.getVersion() >= newest.getVersion() || running == 0) {
				continue;
			}
			try {
				MigrationPlan plan = this.runtime.createMigrationPlan(older.getId(), newest.getId())
					.mapEqualActivities()
					.build();
				this.runtime.newMigration(plan)
					.processInstanceQuery(this.runtime.createProcessInstanceQuery().processDefinitionId(older.getId()))
					.execute();
				log.info("Moved {} running requests from version {} to version {} of {}", running, older.getVersion(),
						newest.getVersion(), CertificateRequestProcess.KEY);
			}
			catch (ProcessEngineException ex) {
				// A model that cannot be mapped (one a designer changed) is left to an
				// administrator in Cockpit; start-up goes on.
				log.warn("Requests on version {} of {} stay there: {}", older.getVersion(),
						CertificateRequestProcess.KEY, ex.getMessage());
			}
		}
	}

}
