package org.certflow.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Servlet filters that guard the engine's own endpoints. */
@Configuration(proxyBeanMethods = false)
class SecurityFilters {

	@Bean
	FilterRegistrationBean<EnginePathGuard> enginePathGuard() {
		FilterRegistrationBean<EnginePathGuard> registration = new FilterRegistrationBean<>(new EnginePathGuard());
		registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
		// First of all: every later check may then trust the path it reads.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<ExpressionQueryGuard> expressionQueryGuard() {
		FilterRegistrationBean<ExpressionQueryGuard> registration = new FilterRegistrationBean<>(
				new ExpressionQueryGuard());
		registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
		return registration;
	}

	// Before Spring Security, which would check the password first.
	@Bean
	FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle) {
		FilterRegistrationBean<LoginThrottleFilter> registration = new FilterRegistrationBean<>(
				new LoginThrottleFilter(throttle));
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

}
