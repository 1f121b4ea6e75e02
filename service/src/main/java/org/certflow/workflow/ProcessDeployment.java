package org.certflow.workflow;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.certflow.processes.CertificateRequestProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Deploys the models and forms that ship in the jars under stable resource names, so that
 * a form key {@code camunda-forms:deployment:validate-application.form} resolves.
 * Duplicate filtering leaves an unchanged model alone; a model a designer deployed from
 * the Modeler stays the newest version until the shipped one changes.
 */
@Component
class ProcessDeployment implements SmartInitializingSingleton {

	static final String DEPLOYMENT_NAME = "certflow";

	private static final Logger log = LoggerFactory.getLogger(ProcessDeployment.class);

	private final RepositoryService repository;

	ProcessDeployment(RepositoryService repository) {
		this.repository = repository;
	}

	@Override
	public void afterSingletonsInstantiated() {
		DeploymentWithDefinitions deployment = this.repository.createDeployment()
			.name(DEPLOYMENT_NAME)
			.source("certflow-service")
			.enableDuplicateFiltering(true)
			.addClasspathResource(CertificateRequestProcess.BPMN_RESOURCE)
			.addClasspathResource(CertificateRequestProcess.VALIDATION_FORM_RESOURCE)
			.deployWithResult();
		log.info("Process deployment {} ({})", deployment.getId(), deployment.getDeployedProcessDefinitions() == null
				? "unchanged" : deployment.getDeployedProcessDefinitions().size() + " process definitions");
	}

}
