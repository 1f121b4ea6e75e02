package org.certflow.signer;

import org.certflow.CertFlowApplication;
import org.certflow.CertFlowProperties;
import org.certflow.issuance.CaConfiguration;
import org.certflow.issuance.JdbcIssuanceJournal;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The signer: the only CertFlow process that opens the CA key store. It has no web
 * server, no engine and no webapps; it reaches the database (the CA's journal, the
 * approved requests it reads) and one RA node's engine REST API, where it fetches
 * {@code ca-sign-certificate} tasks as a technical user that may do nothing else.
 * <p>
 * Its context is built from a short, explicit list of parts rather than Boot's
 * auto-configuration of everything on the class path, so that neither the engine nor a
 * servlet container can start here by accident.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
		ValidationAutoConfiguration.class, DataSourceAutoConfiguration.class,
		DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
		TransactionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@EnableConfigurationProperties(CertFlowProperties.class)
@EnableScheduling
@ComponentScan
@Import({ CaConfiguration.class, JdbcIssuanceJournal.class })
public class SignerApplication {

	/**
	 * Runs the signer as its own process ({@code certflow.role=signer}).
	 * @param args command-line arguments
	 * @return the running context
	 */
	public static ConfigurableApplicationContext run(String... args) {
		return application().run(args);
	}

	/**
	 * Runs the signer inside an RA node's JVM (the embedded default), with an environment
	 * the caller prepared: a context of its own, sharing no bean with the RA's.
	 * @param environment the signer's settings
	 * @return the running context
	 */
	public static ConfigurableApplicationContext runEmbedded(ConfigurableEnvironment environment) {
		SpringApplication application = application();
		application.setEnvironment(environment);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		// The RA node closes it, before its own web server stops.
		application.setRegisterShutdownHook(false);
		return application.run();
	}

	private static SpringApplication application() {
		SpringApplication application = new SpringApplication(SignerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(java.util.Map.of(CertFlowApplication.ROLE, "signer"));
		return application;
	}

}
