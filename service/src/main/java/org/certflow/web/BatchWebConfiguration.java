package org.certflow.web;

import org.certflow.batch.BatchSettings;

import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Batch uploads are the one large body: their own size limit, in front of the same filter
 * that caps every other body at 64 KiB, and a start-up check that the servlet's multipart
 * limit lets such a file through.
 */
@Configuration(proxyBeanMethods = false)
class BatchWebConfiguration {

	/** Room for the multipart boundaries and headers around the file. */
	static final long MULTIPART_OVERHEAD = 64 * 1024;

	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> batchUploadSizeLimit(BatchSettings settings,
			MultipartProperties multipart) {
		long file = settings.maxFileSize().toBytes();
		if (multipart.getMaxFileSize().toBytes() >= 0 && multipart.getMaxFileSize().toBytes() < file) {
			throw new IllegalStateException("certflow.batch.max-file-size (" + settings.maxFileSize()
					+ ") is larger than spring.servlet.multipart.max-file-size (" + multipart.getMaxFileSize()
					+ "): raise spring.servlet.multipart.max-file-size and max-request-size too.");
		}
		if (multipart.getMaxRequestSize().toBytes() >= 0
				&& multipart.getMaxRequestSize().toBytes() < file + MULTIPART_OVERHEAD) {
			throw new IllegalStateException("spring.servlet.multipart.max-request-size ("
					+ multipart.getMaxRequestSize() + ") must be at least certflow.batch.max-file-size ("
					+ settings.maxFileSize() + ") plus 64KB for the multipart headers.");
		}
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeLimitFilter(file + MULTIPART_OVERHEAD));
		registration.addUrlPatterns(BatchApiController.PATH, RamcBatchPages.PATH);
		registration.setName("batchUploadSizeLimit");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

}
