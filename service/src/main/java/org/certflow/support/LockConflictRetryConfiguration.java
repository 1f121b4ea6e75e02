package org.certflow.support;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * Puts {@link LockConflictRetry} around every {@link RetriedOnLockConflict} use case,
 * ahead of the transaction advisor (which has the lowest precedence).
 */
@Configuration(proxyBeanMethods = false)
class LockConflictRetryConfiguration {

	/** Three runs: a deadlock with a background step rarely repeats once. */
	private static final int ATTEMPTS = 3;

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor lockConflictRetryAdvisor() {
		ComposablePointcut pointcut = new ComposablePointcut(
				new AnnotationMatchingPointcut(RetriedOnLockConflict.class, true))
			.union(AnnotationMatchingPointcut.forMethodAnnotation(RetriedOnLockConflict.class));
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, new LockConflictRetry(ATTEMPTS));
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
		return advisor;
	}

}
