package org.certflow.workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The job executor's threads finish the jobs they hold at shutdown, before the database
 * and JPA close, and are never interrupted: Camunda's starter builds its pool with
 * Spring's defaults (interrupt running tasks, no wait), which let a job in progress meet
 * a closed database, and an interrupt during H2's file I/O closes the database file for
 * every thread.
 */
@Configuration(proxyBeanMethods = false)
class JobExecutorShutdown {

	static final String TASK_EXECUTOR = "camundaTaskExecutor";

	private static final int AWAIT_SECONDS = 30;

	/**
	 * Closed before the data source and JPA: beans are destroyed before what they depend
	 * on.
	 */
	@Bean
	static BeanFactoryPostProcessor jobExecutorClosesBeforeTheDatabase() {
		return (beanFactory) -> {
			if (!beanFactory.containsBeanDefinition(TASK_EXECUTOR)) {
				return;
			}
			BeanDefinition executor = beanFactory.getBeanDefinition(TASK_EXECUTOR);
			List<String> dependsOn = new ArrayList<>(
					(executor.getDependsOn() != null) ? Arrays.asList(executor.getDependsOn()) : List.of());
			for (String name : new String[] { "dataSource", "entityManagerFactory" }) {
				if (beanFactory.containsBeanDefinition(name) && !dependsOn.contains(name)) {
					dependsOn.add(name);
				}
			}
			executor.setDependsOn(dependsOn.toArray(String[]::new));
		};
	}

	@Bean
	static BeanPostProcessor jobExecutorFinishesItsJobs() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (TASK_EXECUTOR.equals(beanName) && bean instanceof ThreadPoolTaskExecutor pool) {
					pool.setWaitForTasksToCompleteOnShutdown(true);
					pool.setAwaitTerminationSeconds(AWAIT_SECONDS);
				}
				return bean;
			}
		};
	}

}
