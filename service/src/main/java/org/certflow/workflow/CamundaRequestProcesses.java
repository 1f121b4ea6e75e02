package org.certflow.workflow;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.certflow.request.RequestProcesses;

import org.springframework.stereotype.Component;

/** The request processes port on the Camunda engine's runtime queries. */
@Component
class CamundaRequestProcesses implements RequestProcesses {

	private final RuntimeService runtime;

	CamundaRequestProcesses(RuntimeService runtime) {
		this.runtime = runtime;
	}

	@Override
	public List<Incident> openIncidents(int max) {
		var incidents = this.runtime.createIncidentQuery().orderByIncidentTimestamp().desc().listPage(0, max);
		Set<String> instanceIds = incidents.stream()
			.map(org.camunda.bpm.engine.runtime.Incident::getProcessInstanceId)
			.filter((id) -> id != null)
			.collect(Collectors.toSet());
		Map<String, String> businessKeys = new HashMap<>();
		if (!instanceIds.isEmpty()) {
			for (ProcessInstance instance : this.runtime.createProcessInstanceQuery()
				.processInstanceIds(instanceIds)
				.list()) {
				if (instance.getBusinessKey() != null) {
					businessKeys.put(instance.getId(), instance.getBusinessKey());
				}
			}
		}
		return incidents.stream()
			.map((incident) -> new Incident(incident.getProcessInstanceId(),
					businessKeys.get(incident.getProcessInstanceId()), incident.getActivityId(),
					incident.getIncidentMessage(), incident.getIncidentTimestamp().toInstant()))
			.toList();
	}

	@Override
	public Map<String, String> runningInstances(Collection<String> requestIds) {
		Map<String, String> instances = new HashMap<>();
		for (String requestId : Set.copyOf(requestIds)) {
			this.runtime.createProcessInstanceQuery()
				.processInstanceBusinessKey(requestId)
				.list()
				.stream()
				.findFirst()
				.ifPresent((instance) -> instances.put(requestId, instance.getId()));
		}
		return instances;
	}

}
