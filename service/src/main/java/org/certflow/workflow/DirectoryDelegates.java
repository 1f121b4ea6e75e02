package org.certflow.workflow;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.certflow.directory.PublishCertificate;
import org.certflow.processes.CertificateRequestProcess.Bean;

import org.springframework.context.annotation.Configuration;

/**
 * The directory steps the model binds by name: one line of translation each (STYLE.md 5).
 */
@Configuration(proxyBeanMethods = false)
class DirectoryDelegates {

	/**
	 * {@code Task_PublishCertificate}: a failure (directory unreachable) fails the job,
	 * which the engine retries on the model's cycle and then raises as an incident.
	 */
	@org.springframework.context.annotation.Bean(Bean.PUBLISH_CERTIFICATE)
	JavaDelegate publishCertificateDelegate(PublishCertificate publishCertificate) {
		return (execution) -> publishCertificate.publish(RequestDelegates.requestId(execution));
	}

}
