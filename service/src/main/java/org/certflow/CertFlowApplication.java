package org.certflow;

import org.certflow.signer.SignerApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * CertFlow: certificate authority and registration authority whose issuing path is a BPMN
 * process. One jar, three roles ({@code certflow.role}, from the command line or the
 * environment as {@code CERTFLOW_ROLE}):
 * <ul>
 * <li>{@code all} (the default): an RA node that also starts a signer in this JVM;</li>
 * <li>{@code ra}: an RA node (web, engine, RA API, Camunda webapps) that never opens the
 * CA key store;</li>
 * <li>{@code signer}: only the signer ({@link SignerApplication}), which holds the CA key
 * and reaches the RA through engine REST.</li>
 * </ul>
 * The RA's component scan leaves out {@code org.certflow.signer}: nothing the RA builds
 * can reach the CA key.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = { @Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
		@Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
		@Filter(type = FilterType.REGEX, pattern = "org\\.certflow\\.signer\\..*") })
@ConfigurationPropertiesScan
@EnableScheduling
public class CertFlowApplication {

	/** The property naming this process's role. */
	public static final String ROLE = "certflow.role";

	public static void main(String[] args) {
		Role role = role(args);
		if (role == Role.SIGNER) {
			SignerApplication.run(args);
		}
		else {
			SpringApplication.run(CertFlowApplication.class, args);
		}
	}

	static Role role(String[] args) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
		return Role.parse(environment.getProperty(ROLE, "all"));
	}

}
