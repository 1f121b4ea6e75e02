package org.certflow.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.certflow.directory.DirectoryFailure;
import org.certflow.directory.DirectoryFailures;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The certificate directory for RA admins: what keeps failing to reach it.
 */
@RestController
@RequestMapping("/api/v1/directory")
@Tag(name = "Certificate directory")
class DirectoryApiController {

	private final DirectoryFailures failures;

	DirectoryApiController(DirectoryFailures failures) {
		this.failures = failures;
	}

	@Operation(summary = "Directory writes that keep failing",
			description = "Certificates, CA entries and removals CertFlow could not write to the LDAP directory, "
					+ "oldest first, with the directory's last answer. Each is tried again on its own (a "
					+ "certificate's publishing step for over five hours, then it is an incident in Cockpit; CA "
					+ "entries and removals at every sync) and leaves this list once it succeeds.")
	@GetMapping("/failures")
	List<DirectoryFailure> failures() {
		return this.failures.list();
	}

}
