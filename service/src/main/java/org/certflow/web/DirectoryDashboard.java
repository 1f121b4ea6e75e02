package org.certflow.web;

import org.certflow.directory.DirectoryFailures;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The line on the RAMC dashboard that counts failing directory writes.
 */
@ControllerAdvice(assignableTypes = RamcPages.class)
class DirectoryDashboard {

	private final DirectoryFailures failures;

	DirectoryDashboard(DirectoryFailures failures) {
		this.failures = failures;
	}

	@ModelAttribute("directoryFailures")
	long directoryFailures() {
		return this.failures.count();
	}

}
