package org.certflow.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The applicant's home page in Debian's headless Chromium over HTTPS, with CertFlow's own
 * certificate: the browser harness's HTTPS mode works.
 */
class HttpsBrowserTest extends BrowserTest {

	@Override
	protected boolean overHttps() {
		return true;
	}

	@Test
	void theHomePageLoadsOverHttps() {
		browser.get(httpsUrl("/"));

		assertThat(browser.getTitle()).isEqualTo("Welcome - CertFlow");
		assertThat(browser.getCurrentUrl()).startsWith("https://localhost:");
		assertThat(text("h1")).isEqualTo("CertFlow");
		shoot("https-home");
	}

}
