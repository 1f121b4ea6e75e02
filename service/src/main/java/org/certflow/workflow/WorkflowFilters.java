package org.certflow.workflow;

import org.camunda.bpm.engine.TaskService;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Servlet filters in front of the engine's task endpoints. */
@Configuration(proxyBeanMethods = false)
class WorkflowFilters {

	@Bean
	FilterRegistrationBean<DecisionCheckFilter> decisionCheck(TaskService tasks) {
		FilterRegistrationBean<DecisionCheckFilter> registration = new FilterRegistrationBean<>(
				new DecisionCheckFilter(tasks));
		registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
		// Last, after authentication: only a logged-in user's completion is checked.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}

}
