package org.certflow.directory;

import java.util.ArrayList;
import java.util.List;

import org.certflow.CertFlowProperties;

import org.springframework.stereotype.Component;

/**
 * Refuses a production start ({@code certflow.production=true}) with directory settings
 * meant for a demo, as {@code ProductionSafety} does for the others: the in-memory
 * directory, the demo bind password, or a bind password sent over plain LDAP.
 */
@Component
class DirectoryStartChecks {

	static final String DEMO_BIND_PASSWORD = "certflow-demo-directory";

	DirectoryStartChecks(CertFlowProperties properties, DirectorySettings settings) {
		List<String> problems = problems(properties.production(), settings);
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"certflow.production=true but demo settings are on: " + String.join("; ", problems) + ".");
		}
	}

	static List<String> problems(boolean production, DirectorySettings settings) {
		List<String> problems = new ArrayList<>();
		if (!production || !settings.enabled()) {
			return problems;
		}
		if (settings.embedded().enabled()) {
			problems.add("certflow.directory.embedded.enabled must be false (the in-memory directory forgets "
					+ "everything at restart; set certflow.directory.url to your LDAP server)");
		}
		boolean password = settings.bindPassword() != null && !settings.bindPassword().isEmpty();
		if (DEMO_BIND_PASSWORD.equals(settings.bindPassword())) {
			problems.add("certflow.directory.bind-password must not be the demo password");
		}
		if (password && !settings.encrypted()) {
			problems.add("certflow.directory.url is plain ldap:// without certflow.directory.start-tls=true, so the "
					+ "bind password would cross the network in clear: use ldaps:// or set start-tls to true");
		}
		return problems;
	}

}
