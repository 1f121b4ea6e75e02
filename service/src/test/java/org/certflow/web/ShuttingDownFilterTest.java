package org.certflow.web;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests that arrive once shutdown has begun get 503 with Retry-After, not a 500. */
class ShuttingDownFilterTest {

	private final ShuttingDownFilter filter = new ShuttingDownFilter();

	@Test
	void passesRequestsOnWhileRunning() throws Exception {
		this.filter.start();
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/invitations"), new MockHttpServletResponse(),
				chain);

		assertThat(chain.getRequest()).isNotNull();
	}

	@Test
	void answers503WithRetryAfterOnceStopping() throws Exception {
		this.filter.start();
		this.filter.stop();
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/invitations"), response, chain);

		assertThat(chain.getRequest()).as("nothing behind the filter runs").isNull();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("30");
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"status\":503").contains("shutting down");
		assertThat(this.filter.getPhase()).as("stops before the web server's graceful shutdown")
			.isEqualTo(Integer.MAX_VALUE);
	}

}
