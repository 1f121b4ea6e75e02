package org.certflow.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.certflow.revocation.CaPublication;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Servlet filters of the web layer. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	/**
	 * OCSP GET carries base64 in the path, where '/' arrives as %2F; Tomcat must hand it
	 * on unchanged instead of refusing the request.
	 * @return the customizer
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatForOcspGet() {
		return (factory) -> factory.addConnectorCustomizers(
				(connector) -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
	}

	@Bean
	FilterRegistrationBean<OcspFilter> ocsp(CaPublication publication,
			@org.springframework.beans.factory.annotation.Value("${certflow.ocsp.http-max-age:PT1H}") java.time.Duration maxAge,
			java.time.Clock clock) {
		FilterRegistrationBean<OcspFilter> registration = new FilterRegistrationBean<>(
				new OcspFilter(publication, new OcspCaching(maxAge, clock)));
		registration.addUrlPatterns(OcspFilter.PATH, OcspFilter.PATH + "/*");
		// Before Spring Security, whose firewall rightly refuses an encoded '/'
		// everywhere else; OCSP needs no authentication.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit() {
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeLimitFilter());
		// The RA console too: its CSRF check reads the form, multipart included, before
		// the login is checked, and only the batch upload may be large.
		registration.addUrlPatterns("/api/*", "/apply", "/activate", "/ocsp", "/ramc/*");
		// Before Spring Security, so that an oversized body is refused before anything
		// reads it.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

}
