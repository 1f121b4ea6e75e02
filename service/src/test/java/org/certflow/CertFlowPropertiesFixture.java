package org.certflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;

/**
 * Settings for unit tests that need a {@link CertFlowProperties} without a Spring
 * context.
 */
public final class CertFlowPropertiesFixture {

	private CertFlowPropertiesFixture() {
	}

	public static CertFlowProperties properties(Path dataDir, boolean production, boolean demoUsers,
			String adminPassword, boolean embeddedMail, CertFlowProperties.Ca ca) {
		return new CertFlowProperties(dataDir, URI.create("http://localhost:8080"), production, demoUsers,
				new CertFlowProperties.Admin("admin", adminPassword),
				new CertFlowProperties.Invitation(Period.ofDays(14)),
				new CertFlowProperties.Activation(Period.ofDays(30), 5),
				new CertFlowProperties.Validation(Period.ofDays(1)),
				new CertFlowProperties.Signer(true, Duration.ofMillis(500), Duration.ofMinutes(5)),
				new CertFlowProperties.Mail("certflow@localhost",
						new CertFlowProperties.Mail.Embedded(embeddedMail, 0, 0)),
				ca);
	}

}
