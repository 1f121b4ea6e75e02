package org.certflow.workflow;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.certflow.processes.IssuanceBatchProcess.Bean;
import org.certflow.request.IssuanceRuns;

import org.springframework.context.annotation.Configuration;

/**
 * The delegates {@code issuance-batch.bpmn} binds by name; each is one call into
 * {@link IssuanceRuns}. A run the schedule started gets its run id as business key when
 * it opens.
 */
@Configuration(proxyBeanMethods = false)
class IssuanceRunDelegates {

	@org.springframework.context.annotation.Bean(Bean.OPEN_RUN)
	JavaDelegate openIssuanceRun(IssuanceRuns runs) {
		return (execution) -> {
			String runId = runs.open(execution.getProcessBusinessKey());
			if (execution.getProcessBusinessKey() == null) {
				execution.setProcessBusinessKey(runId);
			}
		};
	}

	@org.springframework.context.annotation.Bean(Bean.RELEASE_CHUNK)
	JavaDelegate releaseIssuanceChunk(IssuanceRuns runs) {
		return (execution) -> runs.releaseChunk(execution.getProcessBusinessKey());
	}

}
